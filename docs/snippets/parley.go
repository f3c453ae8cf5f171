// Parley proofs in Go (standard library only). Run: go run parley.go vectors.json
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

func mac(secret, text string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(text))
	return h.Sum(nil)
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// UserHash (proof 1): HMAC over the id as text (strconv.Itoa(42) == "42"), lower-case hex.
// secret: a hash key's (parley key create, the default kind).
func UserHash(secret, userID string) string { return hex.EncodeToString(mac(secret, userID)) }

// SignPayload (proof 2): sign the exact JSON text you send. Note that encoding/json sorts map
// keys and escapes <, > and &: marshal once, then send and sign those same bytes.
// secret: a payload key's (parley key create --proof payload).
func SignPayload(secret, payloadJSON string) (payload, signature string) {
	return payloadJSON, hex.EncodeToString(mac(secret, payloadJSON))
}

// CreateToken (proof 3, HMAC form). secret: a token key's (parley key create --proof token),
// as for the JWT.
func CreateToken(secret, claimsJSON string) string {
	return b64url([]byte(claimsJSON)) + "." + b64url(mac(secret, claimsJSON))
}

// CreateJWT (proof 3, HS256 only). secret: a token key's.
func CreateJWT(secret, claimsJSON string) string {
	input := b64url([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64url([]byte(claimsJSON))
	return input + "." + b64url(mac(secret, input))
}

func main() {
	if len(os.Args) < 2 {
		return
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var v struct {
		Secret  string                     `json:"secret"`
		Hash    []struct{ UserID string `json:"userId"` } `json:"hash"`
		Payload []struct{ Payload string } `json:"payload"`
		Token   []struct{ Claims string }  `json:"token"`
		JWT     []struct{ Claims string }  `json:"jwt"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := map[string][]string{}
	for _, h := range v.Hash {
		out["hash"] = append(out["hash"], UserHash(v.Secret, h.UserID))
	}
	for _, p := range v.Payload {
		_, sig := SignPayload(v.Secret, p.Payload)
		out["payload"] = append(out["payload"], sig)
	}
	for _, t := range v.Token {
		out["token"] = append(out["token"], CreateToken(v.Secret, t.Claims))
	}
	for _, t := range v.JWT {
		out["jwt"] = append(out["jwt"], CreateJWT(v.Secret, t.Claims))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.Encode(out)
}

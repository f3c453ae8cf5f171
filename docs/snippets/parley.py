# Parley proofs in Python 3 (standard library only). Run: python3 parley.py vectors.json
import base64, hashlib, hmac, json, sys

def _mac(secret: str, text: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

# 1. User hash: HMAC over the id as text (str(42) == "42"), lower-case hex.
#    secret: a hash key's (parley key create, the default kind).
def user_hash(secret: str, user_id) -> str:
    return _mac(secret, str(user_id)).hex()

# 2. Signed payload (secret: a payload key's, parley key create --proof payload):
#    sign the exact JSON text you send. Build it once, e.g.
#    json.dumps({"id": "u_42", "plan": "pro"}, separators=(",", ":"), ensure_ascii=False)
def sign_payload(secret: str, payload_json: str) -> dict:
    return {"payload": payload_json, "signature": _mac(secret, payload_json).hex()}

# 3a. HMAC token: base64url(claims JSON) "." base64url(HMAC of the claims JSON text).
#     secret: a token key's (parley key create --proof token), as for the JWT.
def create_token(secret: str, claims_json: str) -> str:
    return _b64url(claims_json.encode("utf-8")) + "." + _b64url(_mac(secret, claims_json))

# 3b. JWT, HS256 only (PyJWT's jwt.encode(claims, secret, algorithm="HS256") is equivalent).
#     secret: a token key's.
def create_jwt(secret: str, claims_json: str) -> str:
    signing_input = _b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64url(claims_json.encode("utf-8"))
    return signing_input + "." + _b64url(_mac(secret, signing_input))

if __name__ == "__main__" and len(sys.argv) > 1:
    with open(sys.argv[1], encoding="utf-8") as f:
        v = json.load(f)
    print(json.dumps({
        "hash": [user_hash(v["secret"], h["userId"]) for h in v["hash"]],
        "payload": [sign_payload(v["secret"], p["payload"])["signature"] for p in v["payload"]],
        "token": [create_token(v["secret"], t["claims"]) for t in v["token"]],
        "jwt": [create_jwt(v["secret"], t["claims"]) for t in v["jwt"]],
    }))

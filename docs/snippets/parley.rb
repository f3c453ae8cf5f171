# Parley proofs in Ruby (standard library only). Run: ruby parley.rb vectors.json
require "openssl"
require "base64"
require "json"

module Parley
  def self.mac(secret, text) = OpenSSL::HMAC.digest("SHA256", secret.encode("UTF-8"), text.encode("UTF-8"))
  def self.b64url(bytes) = Base64.urlsafe_encode64(bytes, padding: false)

  # 1. User hash: HMAC over the id as text (42.to_s == "42"), lower-case hex.
  #    secret: a hash key's (parley key create, the default kind).
  def self.user_hash(secret, user_id) = mac(secret, user_id.to_s).unpack1("H*")

  # 2. Signed payload: sign the exact JSON text you send (JSON.generate(hash) once, then reuse it).
  #    secret: a payload key's (parley key create --proof payload).
  def self.sign_payload(secret, payload_json) = { payload: payload_json, signature: mac(secret, payload_json).unpack1("H*") }

  # 3a. HMAC token. secret: a token key's (parley key create --proof token), as for the JWT.
  def self.create_token(secret, claims_json) = "#{b64url(claims_json.encode("UTF-8"))}.#{b64url(mac(secret, claims_json))}"

  # 3b. JWT, HS256 only. secret: a token key's.
  def self.create_jwt(secret, claims_json)
    input = "#{b64url('{"alg":"HS256","typ":"JWT"}')}.#{b64url(claims_json.encode("UTF-8"))}"
    "#{input}.#{b64url(mac(secret, input))}"
  end
end

if __FILE__ == $PROGRAM_NAME && ARGV[0]
  v = JSON.parse(File.read(ARGV[0], encoding: "UTF-8"))
  s = v["secret"]
  puts JSON.generate({
    hash: v["hash"].map { |h| Parley.user_hash(s, h["userId"]) },
    payload: v["payload"].map { |p| Parley.sign_payload(s, p["payload"])[:signature] },
    token: v["token"].map { |t| Parley.create_token(s, t["claims"]) },
    jwt: v["jwt"].map { |t| Parley.create_jwt(s, t["claims"]) },
  })
end

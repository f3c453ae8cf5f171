<?php
// Parley proofs in PHP (no extensions beyond the defaults). Run: php parley.php vectors.json

function parley_b64url(string $bytes): string {
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

// 1. User hash: HMAC over the id as text ((string) 42 === "42"), lower-case hex.
//    $secret: a hash key's (parley key create, the default kind).
function parley_user_hash(string $secret, $userId): string {
    return hash_hmac('sha256', (string) $userId, $secret);
}

// 2. Signed payload ($secret: a payload key's, parley key create --proof payload):
//    sign the exact JSON text you send, e.g.
//    json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), built once and reused.
function parley_sign_payload(string $secret, string $payloadJson): array {
    return ['payload' => $payloadJson, 'signature' => hash_hmac('sha256', $payloadJson, $secret)];
}

// 3a. HMAC token. $secret: a token key's (parley key create --proof token), as for the JWT.
function parley_create_token(string $secret, string $claimsJson): string {
    return parley_b64url($claimsJson) . '.' . parley_b64url(hash_hmac('sha256', $claimsJson, $secret, true));
}

// 3b. JWT, HS256 only. $secret: a token key's.
function parley_create_jwt(string $secret, string $claimsJson): string {
    $input = parley_b64url('{"alg":"HS256","typ":"JWT"}') . '.' . parley_b64url($claimsJson);
    return $input . '.' . parley_b64url(hash_hmac('sha256', $input, $secret, true));
}

if (PHP_SAPI === 'cli' && isset($argv[1]) && realpath($argv[0]) === __FILE__) {
    $v = json_decode(file_get_contents($argv[1]), true);
    $s = $v['secret'];
    echo json_encode([
        'hash' => array_map(fn($h) => parley_user_hash($s, $h['userId']), $v['hash']),
        'payload' => array_map(fn($p) => parley_sign_payload($s, $p['payload'])['signature'], $v['payload']),
        'token' => array_map(fn($t) => parley_create_token($s, $t['claims']), $v['token']),
        'jwt' => array_map(fn($t) => parley_create_jwt($s, $t['claims']), $v['jwt']),
    ], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}

#!/usr/bin/env bash
# Development PKI for Sluis, made with the openssl command: a dev CA, a server certificate for
# localhost, and one client certificate per demo organisation carrying a fictional OIN in the
# subject serialNumber (as PKIoverheid certificates do). Idempotent: existing files are kept.
# Never use these in production: the CA key sits next to the certificates.
#
#   deploy/dev-pki.sh DATA_DIR        writes DATA_DIR/pki/...
set -euo pipefail
data="${1:?usage: dev-pki.sh DATA_DIR}"
pki="$data/pki"
mkdir -p "$pki/clients"
chmod 700 "$data" "$pki"
umask 077

# id:OIN for each demo organisation; must match deploy/config.example.toml.
organisations=(
  "wijkteam-noord:00000099000000000001"
  "ggz-noord:00000099000000000002"
  "jeugdhulp-noord:00000099000000000003"
  "schuldhulp-noord:00000099000000000004"
  "woningcorporatie-noord:00000099000000000005"
  "werk-inkomen:00000099000000000006"
  "veilig-thuis:00000099000000000007"
  "politie-noord:00000099000000000008"
  "gemeente-noord:00000099000000000009"
)

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [ ! -f "$pki/ca.pem" ]; then
  newkey "$pki/ca.key"
  openssl req -x509 -new -key "$pki/ca.key" -sha256 -days 825 -subj "/O=Sluis dev/CN=Sluis dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$pki/ca.pem"
fi

sign() {  # sign NAME SUBJECT EXTFILE
  openssl req -new -key "$pki/$1.key" -subj "$2" -out "$pki/$1.csr"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 365 -sha256 -extfile "$3" -out "$pki/$1.pem" 2>/dev/null
  rm -f "$pki/$1.csr"
}

ext="$(mktemp)"; trap 'rm -f "$ext"' EXIT
if [ ! -f "$pki/server.pem" ]; then
  newkey "$pki/server.key"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' >"$ext"
  sign server "/O=Sluis dev/CN=localhost" "$ext"
fi

printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' >"$ext"
for entry in "${organisations[@]}"; do
  id="${entry%%:*}"; oin="${entry##*:}"
  [ -f "$pki/clients/$id.pem" ] && continue
  newkey "$pki/clients/$id.key"
  sign "clients/$id" "/O=$id/CN=$id client/serialNumber=$oin" "$ext"
done
chmod 644 "$pki"/*.pem "$pki"/clients/*.pem
echo "dev PKI ready in $pki"

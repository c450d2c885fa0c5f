# Sourced by the benchmark scripts: nginx as the ceiling, serving static files over TLS with the dev
# server certificate. nginx (Debian's, `worker_processes auto`, `access_log off`, keep-alive without
# limit) on 127.0.0.1:PORT, its root DIR/www; the caller puts the files there and kills the pid in
# $nginx_pid when done.
#   start_nginx DIR PORT PKI_DIR PROBE_PATH
start_nginx() {
  local ng="$1" port="$2" pki="$3" probe="$4"
  mkdir -p "$ng/www" "$ng/tmp"
  # Started as root, nginx runs its workers as nobody, who cannot read a `mktemp -d` directory (403
  # on every request): keep them as the user running the benchmark.
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat >"$ng/nginx.conf" <<CONF
$user
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $ng/tmp/body; proxy_temp_path $ng/tmp/proxy;
  fastcgi_temp_path $ng/tmp/fastcgi; uwsgi_temp_path $ng/tmp/uwsgi; scgi_temp_path $ng/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $pki/server.pem;
    ssl_certificate_key $pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $ng/www;
    default_type application/json;
  }
}
CONF
  nginx -c "$ng/nginx.conf" -p "$ng" -g 'daemon off;' 2>"$ng/stderr.log" &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    curl -sf --cacert "$pki/ca.pem" "https://localhost:$port$probe" >/dev/null && break
    sleep 0.1
  done
}

#!/usr/bin/env bash
# WebKitGTK's own floor for the desktop launch: how long Debian's WebKitGTK
# reference browser (MiniBrowser, from libwebkit2gtk-4.1-0) takes from
# process start to painting a one-paragraph page, on this machine, under
# the same Xvfb. notedeck's "launch to first card" cannot be below it.
#   xvfb-run -a bench/webkit-floor/floor.sh [RUNS]     (make bench-ui runs it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-6}"
browser="$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -1 || true)"
if [ -z "$browser" ]; then
  echo "webkit floor: MiniBrowser not found (Debian's libwebkit2gtk-4.1-0 has it)" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$here/index.html" "$work/"
# A local server that records the page's paint time when the page asks.
python3 - "$work" >"$work/port" <<'PY' &
import http.server, sys, urllib.parse
root = sys.argv[1]
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith('/done'):
            q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            with open(root + '/result', 'w') as f:
                f.write(q['paint'][0] + '\n')
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), lambda *a, **k: Handler(*a, directory=root, **k))
print(server.server_address[1], flush=True)
server.serve_forever()
PY
server=$!
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"
times=()
for _ in $(seq 1 "$runs"); do
  rm -f "$work/result"
  start=$(date +%s%3N)
  "$browser" "http://127.0.0.1:$port/index.html" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ -s "$work/result" ] && break; sleep 0.02; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -s "$work/result" ] && times+=($(( $(cat "$work/result") - start )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
[ "$n" -gt 0 ] || { echo "webkit floor: no run painted" >&2; exit 0; }
echo "| WebKitGTK alone (MiniBrowser): launch to a one-paragraph page painted, median of $n | ${sorted[$((n / 2))]} ms (${sorted[0]}–${sorted[$((n - 1))]}) | the floor |"

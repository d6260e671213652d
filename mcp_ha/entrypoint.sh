#!/bin/sh
# The image's entrypoint: ENTRYPOINT ["/bin/sh", "/app/entrypoint.sh"] with CMD ["node", "dist/main.js"].
#   no argument (the CMD)  the HTTP server on :8099, as the add-on starts it
#   stdio                  MCP over stdin/stdout for a local client; stdout carries only protocol:
#                          docker run -i --rm -e HOMEASSISTANT_URL=... -e HOMEASSISTANT_TOKEN=... IMAGE stdio
#   anything else          run as given (e.g. `sh` for a look inside)
# Every branch ends in exec: node replaces the shell, so it is the process that gets SIGTERM and
# stdin. Run by /bin/sh (busybox) rather than by its own mode bits, so AppArmor's /bin/** ix and
# /app/** r are all it needs.
set -eu
app=$(dirname "$0")
if [ "$#" -eq 0 ]; then
  set -- node "$app/dist/main.js"
elif [ "$1" = stdio ]; then
  shift
  set -- node "$app/dist/main.js" --stdio "$@"
fi
exec "$@"

#!/usr/bin/env bash
# The S3-compatible server the attachment-storage tests run against: moto's server (pinned, from PyPI,
# in a venv under ~/.cache/appointflow, made once and reused). `install` makes the venv and prints the
# server's path; the tests start it themselves on a free port (test/support/s3-server.ts).
set -euo pipefail
MOTO_VERSION=${MOTO_VERSION:-5.2.1}
venv=${S3_SERVER_VENV:-$HOME/.cache/appointflow/moto-$MOTO_VERSION}
case "${1:-install}" in
  install)
    if [ ! -x "$venv/bin/moto_server" ]; then
      python3 -m venv "$venv"
      "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
    fi
    echo "$venv/bin/moto_server"
    ;;
  *)
    echo "usage: $0 install" >&2
    exit 2
    ;;
esac

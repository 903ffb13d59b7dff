#!/usr/bin/env bash
# Regenerates the chapter 4 outputs the book shows, with the same scenes as chapter 3's script
# played against the registry-based server:
#   book/src/output/ch04-session.txt, ch04-server.txt, ch04-refused.txt, ch04-emfile.txt,
#   ch04-flood.txt
# Usage: bash book/scripts/ch04-registry.sh   (needs cargo and python3)
set -euo pipefail
cd "$(dirname "$0")"
BIN=ch04-registry PREFIX=ch04 exec bash ./ch03-select.sh

#!/usr/bin/env bash
# The read path under load: one uvicorn process pinned to core 0, wrk (Debian's
# package) on core 1, 50 connections, 10 s per case, against the seeded demo
# article on a private SQLite database and a private Redis.  Run from the
# repository root: bash bench/readpath.sh
set -e
WORK=$(mktemp -d)
export DATABASE_URL="${DBURL:-sqlite:///$WORK/db.sqlite3}"
WORK=$WORK .venv/bin/python - <<'PY'
import os
from newsroom.embedded import start_redis
from pathlib import Path
p,url=start_redis(directory=Path(os.environ["WORK"]) / "redis", port=6431)
open(os.environ["WORK"] + "/redis.pid", "w").write(str(p.pid))
PY
export REDIS_URL=redis://127.0.0.1:6431/0
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_demo > /dev/null
taskset -c 0 .venv/bin/python -m uvicorn newsroom.asgi:application --port 8411 --loop uvloop --http httptools --no-access-log --log-level warning &
echo $! > $WORK/uv.pid
sleep 4
E=$(curl -s -D - -o /dev/null http://127.0.0.1:8411/live/twitter-is-down/ | grep -i etag | cut -d' ' -f2 | tr -d '\r')
SEQ=$(curl -s http://127.0.0.1:8411/api/v1/articles/twitter-is-down/events/?since=0 | python3 -c "import json,sys;print(json.load(sys.stdin)['seq'])")
EE=$(curl -s -D - -o /dev/null "http://127.0.0.1:8411/api/v1/articles/twitter-is-down/events/?since=$SEQ" | grep -i etag | cut -d' ' -f2 | tr -d '\r')
echo "baseline, /robots.txt (a trivial view through the same middleware):"; taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:8411/robots.txt | grep -E "Requests/sec|Latency"
echo "reader page 200 (cached):"; taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:8411/live/twitter-is-down/ | grep -E "Requests/sec|Latency"
echo "reader page 304:"; taskset -c 1 wrk -t1 -c50 -d10s -H "If-None-Match: $E" http://127.0.0.1:8411/live/twitter-is-down/ | grep -E "Requests/sec|Latency|Non-2xx"
echo "events 200 nothing new:"; taskset -c 1 wrk -t1 -c50 -d10s "http://127.0.0.1:8411/api/v1/articles/twitter-is-down/events/?since=$SEQ" | grep -E "Requests/sec|Latency"
echo "events 304 (through Django: no socket reader on this process):"; taskset -c 1 wrk -t1 -c50 -d10s -H "If-None-Match: $EE" "http://127.0.0.1:8411/api/v1/articles/twitter-is-down/events/?since=$SEQ" | grep -E "Requests/sec|Latency|Non-2xx"
echo "baseline, one connection:"; taskset -c 1 wrk -t1 -c1 -d5s http://127.0.0.1:8411/robots.txt | grep -E "Requests/sec|Latency"
# A socket reader makes the process watch the article: conditional polls are
# then answered by liveblog.shortcut without entering Django.
.venv/bin/python -c "
import asyncio, websockets
async def main():
    async with websockets.connect('ws://127.0.0.1:8411/ws/live/twitter-is-down/') as ws:
        await asyncio.sleep(15)
asyncio.run(main())" &
sleep 1
echo "events 304 (shortcut: a socket reader is connected):"; taskset -c 1 wrk -t1 -c50 -d10s -H "If-None-Match: $EE" "http://127.0.0.1:8411/api/v1/articles/twitter-is-down/events/?since=$SEQ" | grep -E "Requests/sec|Latency|Non-2xx"
wait %2 2>/dev/null || true
kill $(cat $WORK/uv.pid); kill $(cat $WORK/redis.pid)
rm -rf "$WORK"

#!/bin/sh
# Interrupts probes with SIGINT or SIGTERM at random moments, then lists endpoint devices left behind.
# usage: interrupt-probes.sh RPMSG_DOCTOR ROUNDS
doctor=$1
rounds=$2
round=0
while [ "$round" -lt "$rounds" ]; do
    # A shell without job control starts background commands with SIGINT ignored; a user's Ctrl-C is not.
    env --default-signal=INT,TERM "$doctor" probe --service rpmsg-openamp-demo-channel --count 100000 --timeout 300 >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v seed="$round$$" 'BEGIN { srand(seed); printf "%.3f", rand() * 0.4 }')"
    if [ $((round % 2)) -eq 0 ]; then kill -INT "$pid"; else kill -TERM "$pid"; fi
    wait "$pid"
    echo "exit $?"
    round=$((round + 1))
done
echo "left:"
ls /sys/class/rpmsg | grep -E '^rpmsg[0-9]+$' || true

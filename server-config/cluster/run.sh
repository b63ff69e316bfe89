#!/usr/bin/env bash
# Two Tomcat 11 servers sharing one Redis on this machine: http://127.0.0.1:8081/socketworks/ and
# http://127.0.0.1:8082/socketworks/. Chat on one, read on the other; stop one (Ctrl-C stops all).
# Needs Debian's redis-server and the WAR (mvn package). Everything binds to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
war=target/socketworks.war
[ -f "$war" ] || mvn -q package -DskipTests
version=11.0.24
cp=""
for coordinates in org.apache.tomcat.embed:tomcat-embed-core org.apache.tomcat.embed:tomcat-embed-websocket \
                   org.apache.tomcat:tomcat-annotations-api; do
  group=${coordinates%%:*}; artifact=${coordinates##*:}
  jar="$HOME/.m2/repository/${group//.//}/$artifact/$version/$artifact-$version.jar"
  [ -f "$jar" ] || mvn -q dependency:get -Dartifact="$coordinates:$version"
  cp="$cp:$jar"
done

redis_port=${REDIS_PORT:-6390}
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

for node in 1 2; do
  # src/test/cluster/TomcatNode.java: an embedded Tomcat serving the WAR at /socketworks, run from source.
  java -cp "${cp#:}" -Dsocketworks.engine="redis://127.0.0.1:$redis_port" -Dsocketworks.nodeName="web-$node" \
    src/test/cluster/TomcatNode.java "808$node" "$war" < <(tail -f /dev/null) &
  pids+=($!)
done
echo "web-1: http://127.0.0.1:8081/socketworks/   web-2: http://127.0.0.1:8082/socketworks/   (GET .../ready: 200 when connected)"
wait

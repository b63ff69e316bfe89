#!/usr/bin/env bash
# Runs the WAR on Payara Micro from Maven Central, on http://127.0.0.1:8080/socketworks/.
# Usage (from the project root): server-config/payara/run-micro.sh   [extra Payara Micro options]
# Settings: SOCKETWORKS_* environment variables, or JAVA_OPTS="-Dsocketworks.allowedOrigins=..."
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's:.*<version.payara.micro>\(.*\)</version.payara.micro>.*:\1:p' pom.xml)
jar="target/payara-micro/payara-micro-$version.jar"
[ -f target/socketworks.war ] || mvn -B -q -DskipTests package
[ -f "$jar" ] || mvn -B -q dependency:copy -Dartifact="fish.payara.extras:payara-micro:$version" -DoutputDirectory=target/payara-micro
echo "Starting Payara Micro $version: http://localhost:8080/socketworks/ (Ctrl-C stops it)"
# shellcheck disable=SC2086
# Loopback only: the HTTP listener (preboot.asadmin) and the Hazelcast data grid (bind.any=false,
# tcpip discovery on 127.0.0.1), which otherwise listen on every interface.
exec java -Dhazelcast.socket.bind.any=false ${JAVA_OPTS:-} -jar "$jar" \
  --deploy target/socketworks.war --contextroot socketworks --port 8080 \
  --interfaces 127.0.0.1 --clustermode tcpip:127.0.0.1:6900 \
  --prebootcommandfile server-config/payara/preboot.asadmin "$@"

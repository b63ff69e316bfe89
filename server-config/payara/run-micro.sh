#!/usr/bin/env bash
# Runs the WAR on Payara Micro from Maven Central, on http://127.0.0.1:8080/socketworks/.
# Usage (from the project root): server-config/payara/run-micro.sh   [extra Payara Micro options]
# Settings: SOCKETWORKS_* environment variables, or JAVA_OPTS="-Dsocketworks.allowedOrigins=..."
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(mvn -q help:evaluate -Dexpression=version.payara.micro -DforceStdout)
jar="target/payara-micro/payara-micro-$version.jar"
[ -f target/socketworks.war ] || mvn -q -DskipTests package
[ -f "$jar" ] || mvn -q dependency:copy -Dartifact="fish.payara.extras:payara-micro:$version" -DoutputDirectory=target/payara-micro
echo "Starting Payara Micro $version: http://localhost:8080/socketworks/ (Ctrl-C stops it)"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" --deploy target/socketworks.war --contextroot socketworks \
  --port 8080 --nocluster --interfaces 127.0.0.1 "$@"

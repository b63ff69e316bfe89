#!/usr/bin/env bash
# Runs the WAR on Jetty 12 (ee10) from Maven Central's jetty-home, on http://127.0.0.1:8080/socketworks/.
# Usage (from the project root): server-config/jetty/run.sh   [extra jetty properties, e.g. jetty.http.port=8081]
# Settings: SOCKETWORKS_* environment variables, or JAVA_OPTS="-Dsocketworks.allowedOrigins=..."
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's:.*<version.jetty>\(.*\)</version.jetty>.*:\1:p' pom.xml)
home="$PWD/target/jetty-home-$version"
base="$PWD/target/jetty-base"
[ -f target/socketworks.war ] || mvn -B -q -DskipTests package
[ -f "$home/start.jar" ] || mvn -B -q dependency:unpack -Dartifact="org.eclipse.jetty:jetty-home:$version:zip" \
  -DoutputDirectory=target -Dmdep.overWriteReleases=true
if [ ! -d "$base/start.d" ]; then
  mkdir -p "$base"
  # The modules a WebSocket WAR needs: HTTP, WAR deployment, annotation scanning, Jakarta WebSocket.
  (cd "$base" && java -jar "$home/start.jar" jetty.home="$home" jetty.base="$base" \
    --add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta)
fi
cp target/socketworks.war "$base/webapps/"
echo "Starting Jetty $version: http://localhost:8080/socketworks/ (Ctrl-C stops it)"
cd "$base"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$home/start.jar" jetty.home="$home" jetty.base="$base" \
  jetty.http.host=127.0.0.1 jetty.http.port=8080 jetty.http.idleTimeout=10000 "$@"

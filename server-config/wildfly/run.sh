#!/usr/bin/env bash
# Runs the WAR on WildFly from its Maven Central distribution, on http://127.0.0.1:8080/socketworks/.
# Usage (from the project root): server-config/wildfly/run.sh   [extra -Dsocketworks.* options]
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's:.*<version.wildfly>\(.*\)</version.wildfly>.*:\1:p' pom.xml)
home="target/wildfly-$version"
[ -f target/socketworks.war ] || mvn -B -q -DskipTests package
if [ ! -x "$home/bin/standalone.sh" ]; then
  # overWriteReleases: the test build may have left a marker saying this zip is already unpacked
  mvn -B -q dependency:unpack -Dartifact="org.wildfly:wildfly-dist:$version:zip" -DoutputDirectory=target \
    -Dmdep.overWriteReleases=true
  chmod +x "$home"/bin/*.sh
fi
cp target/socketworks.war "$home/standalone/deployments/"
echo "Starting WildFly $version: http://localhost:8080/socketworks/ (Ctrl-C stops it)"
exec "$home/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 "$@"

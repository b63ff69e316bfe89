#!/usr/bin/env bash
# Runs the WAR on WildFly from its Maven Central distribution, on http://127.0.0.1:8080/socketworks/.
# Usage (from the project root): server-config/wildfly/run.sh   [extra -Dsocketworks.* options]
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(mvn -q help:evaluate -Dexpression=version.wildfly -DforceStdout)
home="target/wildfly-$version"
[ -f target/socketworks.war ] || mvn -q -DskipTests package
[ -d "$home" ] || mvn -q dependency:unpack -Dartifact="org.wildfly:wildfly-dist:$version:zip" -DoutputDirectory=target
cp target/socketworks.war "$home/standalone/deployments/"
echo "Starting WildFly $version: http://localhost:8080/socketworks/ (Ctrl-C stops it)"
exec "$home/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 "$@"

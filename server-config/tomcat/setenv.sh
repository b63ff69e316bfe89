#!/bin/sh
# $CATALINA_BASE/bin/setenv.sh: settings for every application of this Tomcat, as system properties.
CATALINA_OPTS="$CATALINA_OPTS -Dsocketworks.allowedOrigins=same-origin,https://app.example.com"
CATALINA_OPTS="$CATALINA_OPTS -Dsocketworks.maxMessageBytes=1048576"
export CATALINA_OPTS

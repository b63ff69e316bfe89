#!/bin/sh
# $CATALINA_BASE/bin/setenv.sh: settings for every application of this Tomcat, as system properties.
CATALINA_OPTS="$CATALINA_OPTS -Dsocketworks.allowedOrigins=same-origin,https://app.example.com"
CATALINA_OPTS="$CATALINA_OPTS -Dsocketworks.maxMessageBytes=1048576"
# Smaller frame buffers for many idle connections (server-config/tomcat/README.md, "Many connections"); Tomcat's default is 8192.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048"
export CATALINA_OPTS

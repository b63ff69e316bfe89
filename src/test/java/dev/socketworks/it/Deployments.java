package dev.socketworks.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.URL;
import java.util.Map;

/** The WAR exactly as built by `mvn package`, deployed unchanged to every container. */
final class Deployments {

    private Deployments() {
    }

    static WebArchive builtWar() {
        File war = new File(System.getProperty("socketworks.war", "target/socketworks.war"));
        return ShrinkWrap.create(ZipImporter.class, "socketworks.war").importFrom(war).as(WebArchive.class);
    }

    /**
     * The built WAR with one default in its web.xml changed, as an operator would configure it. Only
     * for settings the build does not also pass as system properties (those would win).
     */
    static WebArchive withSetting(String name, String value) {
        return withSettings(Map.of(name, value));
    }

    /** As {@link #withSetting}, for several settings at once. */
    static WebArchive withSettings(Map<String, String> settings) {
        WebArchive war = builtWar();
        String webXml;
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String param = "<param-name>" + setting.getKey() + "</param-name>";
            int at = webXml.indexOf(param);
            if (at < 0) {
                // A setting web.xml does not list: added, as an operator would add it.
                int end = webXml.indexOf("<welcome-file-list>");
                webXml = webXml.substring(0, end) + "<context-param>" + param + "<param-value></param-value>"
                        + "</context-param>\n  " + webXml.substring(end);
                at = webXml.indexOf(param);
            }
            int valueStart = webXml.indexOf("<param-value>", at) + "<param-value>".length();
            int valueEnd = webXml.indexOf("</param-value>", valueStart);
            webXml = webXml.substring(0, valueStart) + setting.getValue() + webXml.substring(valueEnd);
        }
        return war.setWebXML(new StringAsset(webXml));
    }

    /** The base URL of the WAR in the container under test, for deployments Arquillian does not manage. */
    static URI configuredBase() {
        return URI.create(System.getProperty("it.baseUrl"));
    }

    static URI ws(URI base, String path) {
        return URI.create("ws" + base.toString().substring(4) + path);
    }

    /**
     * The deployment's base URL on 127.0.0.1: some adapters report "localhost", and test traffic must
     * stay on the IPv4 loopback the servers are bound to.
     */
    static URI base(URL arquillianBase) {
        String url = arquillianBase.toExternalForm().replace("://localhost:", "://127.0.0.1:");
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    static URI ws(URL arquillianBase, String path) {
        URI base = base(arquillianBase);
        return URI.create("ws" + base.toString().substring(4) + path);
    }

    /** The Origin a page served by the deployment itself would send. */
    static String sameOrigin(URL arquillianBase) {
        URI base = base(arquillianBase);
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
    }
}

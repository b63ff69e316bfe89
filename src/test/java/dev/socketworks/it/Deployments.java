package dev.socketworks.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.net.URI;
import java.net.URL;

/** The WAR exactly as built by `mvn package`, deployed unchanged to every container. */
final class Deployments {

    private Deployments() {
    }

    static WebArchive builtWar() {
        File war = new File(System.getProperty("socketworks.war", "target/socketworks.war"));
        return ShrinkWrap.create(ZipImporter.class, "socketworks.war").importFrom(war).as(WebArchive.class);
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

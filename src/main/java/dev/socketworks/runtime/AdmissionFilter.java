package dev.socketworks.runtime;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.auth.Identity;
import dev.socketworks.handshake.UpgradeRequest;
import dev.socketworks.logging.LogLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers an upgrade the server would refuse anyway before the container does any WebSocket work:
 * HTTP 503 when {@code maxConnections} are open, 429 when the client's address has
 * {@code maxConnectionsPerAddress} or was just closed for flooding and reconnects too soon
 * ({@link FloodMemory}). Declared filters run before the WebSocket filters that Tomcat,
 * Undertow, Tyrus and Liberty add programmatically; Jetty puts its own first unless the web
 * application declares it, which {@code WEB-INF/jetty-ee10-web.xml} does, after this one. The exact
 * count in {@link Connection#open} still closes (1013) handshakes that raced past this check together.
 *
 * <p>Its {@link #destroy()} is also the deployment's first undeploy hook: containers destroy filters
 * before they notify context listeners, and some (Tomcat) close open WebSocket sessions themselves,
 * with their own reason, from a context listener. Closing every session here first means clients
 * get 1001 "server shutting down" on every container.
 */
@WebFilter(filterName = "admission", urlPatterns = "/*", asyncSupported = true)
public class AdmissionFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(AdmissionFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        UpgradeRequest upgrade = UpgradeRequest.current();
        AppContext app = AppContext.running(getServletContext());
        if (upgrade != null && app != null) {
            if (app.stopping()) {
                app.metrics().refused(Metrics.Refusal.DRAINING);
                response.setHeader("Retry-After", "1");
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "This server is draining: connect to another");
                return;
            }
            ConnectionLimits.Verdict verdict = app.limits().check(upgrade.clientAddress());
            if (verdict != ConnectionLimits.Verdict.ADMITTED) {
                app.metrics().refused(Metrics.Refusal.CAPS);
                refuse(response, verdict, upgrade.clientAddress(), app);
                return;
            }
            if (!app.floods().mayConnect(upgrade.clientAddress(), System.nanoTime())) {
                app.metrics().refused(Metrics.Refusal.FLOOD);
                LogLimiter.log(LOG, Level.INFO, "flooder reconnecting", () -> "Refused WebSocket handshake from "
                        + upgrade.clientAddress() + ": closed for flooding, it may reconnect once per burst period");
                response.setHeader("Retry-After", "1");
                response.sendError(429, "Closed for flooding: reconnect later");
                return;
            }
            if (!authorized(request, response, upgrade.clientAddress(), app)) {
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * Who the client is and whether it may open this path, before the container upgrades: HTTP 401
     * (with {@code WWW-Authenticate}) without valid credentials, 403 without a right to the path, never
     * a 101 followed by a close. The identity goes to the handshake that follows on this thread.
     */
    private static boolean authorized(HttpServletRequest request, HttpServletResponse response, String address, AppContext app)
            throws IOException {
        List<String> offered = Collections.list(request.getHeaders("Sec-WebSocket-Protocol"));
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        boolean admin = path.equals(AdminEndpoint.PATH);
        String apiKey = admin ? AdminEndpoint.offeredKey(offered) : null;
        Authenticator.Outcome outcome;
        if (apiKey != null) {
            // An operator's API key: its holder is who connects, with the key's rights.
            ApiKeys.Holder holder = app.apiKeys() == null ? null : app.apiKeys().find(apiKey).orElse(null);
            outcome = holder == null ? new Authenticator.Unauthenticated("unknown API key")
                    : new Authenticator.Admitted(new Identity("key:" + holder.name(), holder.name(), holder.rights(), null, "ApiKey"));
        } else {
            outcome = app.authenticator().usesContainer() ? containerUser(request, app.authenticator())
                    : app.authenticator().authenticate(offered, request.getHeader("Authorization"), request.getParameter("access_token"));
        }
        if (outcome instanceof Authenticator.Unauthenticated refused) {
            app.metrics().refused(Metrics.Refusal.TOKEN);
            LogLimiter.log(LOG, Level.INFO, "unauthenticated", () -> "Refused WebSocket handshake from " + address
                    + ": " + refused.reason());
            response.setHeader("WWW-Authenticate", app.authenticator().challenge(refused.reason()));
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized: " + refused.reason());
            return false;
        }
        Identity identity = ((Authenticator.Admitted) outcome).identity();
        if (admin && identity.isGuest()) {
            // Guests may hold every right (auth=none): the figures of every server are an operator's only.
            app.metrics().refused(Metrics.Refusal.TOKEN);
            LogLimiter.log(LOG, Level.INFO, "unauthenticated", () -> "Refused admin stream handshake from " + address
                    + ": no API key and no signed-in user");
            response.setHeader("WWW-Authenticate", "Bearer realm=\"socketworks-api\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized: the admin stream needs an API key with the right admin");
            return false;
        }
        if (app.revocations().refuses(identity)) {
            app.metrics().refused(Metrics.Refusal.REVOKED);
            LogLimiter.log(LOG, Level.INFO, "revoked", () -> "Refused WebSocket handshake from " + address
                    + ": user " + identity.subject() + "'s token was revoked");
            response.setHeader("WWW-Authenticate", app.authenticator().challenge("token revoked"));
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized: token revoked");
            return false;
        }
        List<String> needed = app.rightsToConnect(path.isEmpty() ? "/" : path, offered);
        if (!needed.isEmpty() && needed.stream().noneMatch(identity.rights()::allows)) {
            if (identity.isGuest() && app.authenticator().authenticates()) {
                // A token could give the right: ask for one (401), as for no credentials at all.
                app.metrics().refused(Metrics.Refusal.TOKEN);
                LogLimiter.log(LOG, Level.INFO, "unauthenticated", () -> "Refused WebSocket handshake from " + address
                        + " to " + path + ": no token, and guests have none of " + needed);
                response.setHeader("WWW-Authenticate", "Bearer realm=\"socketworks\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized: this needs a token with one of the rights " + needed);
                return false;
            }
            app.metrics().refused(Metrics.Refusal.RIGHTS);
            LogLimiter.log(LOG, Level.INFO, "forbidden", () -> "Refused WebSocket handshake from " + address + " to "
                    + path + ": " + (identity.isGuest() ? "a guest" : "user " + identity.subject()) + " has none of " + needed);
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Forbidden: this needs one of the rights " + needed);
            return false;
        }
        if (!identity.isGuest() && !app.userConnections().mayOpen(identity.subject())) {
            app.metrics().refused(Metrics.Refusal.USER_CAP);
            LogLimiter.log(LOG, Level.WARNING, "user full", () -> "Refused WebSocket handshake from " + address
                    + ": user " + identity.subject() + " has maxConnectionsPerUser (" + app.settings().maxConnectionsPerUser() + ") open");
            response.setHeader("Retry-After", "10");
            response.sendError(429, "Too many connections for this user (maxConnectionsPerUser)");
            return false;
        }
        UpgradeRequest.authenticated(identity);
        return true;
    }

    /**
     * {@code auth=container}: the user the container already authenticated (its own login, SSO), or
     * the one an {@code Authorization: Basic} header names, checked by the container's realm through
     * {@link HttpServletRequest#login} (no login-config needed: the WAR deploys unchanged). Roles are
     * read here, while the request is the container's to answer.
     */
    private static Authenticator.Outcome containerUser(HttpServletRequest request, Authenticator authenticator) {
        if (request.getUserPrincipal() == null) {
            String authorization = request.getHeader("Authorization");
            if (authorization != null) {
                BasicCredentials credentials = BasicCredentials.parse(authorization);
                if (credentials == null) {
                    return new Authenticator.Unauthenticated("malformed Basic credentials");
                }
                try {
                    request.login(credentials.user(), credentials.password());
                } catch (ServletException e) {
                    return new Authenticator.Unauthenticated("wrong user name or password");
                }
            }
        }
        java.security.Principal user = request.getUserPrincipal();
        return authenticator.containerUser(user == null ? null : user.getName(), request.getAuthType(), request::isUserInRole);
    }

    private static void refuse(HttpServletResponse response, ConnectionLimits.Verdict verdict, String address,
                               AppContext app) throws IOException {
        boolean full = verdict == ConnectionLimits.Verdict.SERVER_FULL;
        LogLimiter.log(LOG, Level.WARNING, full ? "server full" : "address full", () -> full
                ? "Refused WebSocket handshake from " + address + ": maxConnections ("
                + app.settings().maxConnections() + ") are open"
                : "Refused WebSocket handshake from " + address + ": it has maxConnectionsPerAddress ("
                + app.settings().maxConnectionsPerAddress() + ") open");
        response.setHeader("Retry-After", "10");
        response.sendError(full ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : 429,
                full ? "Too many connections (maxConnections)" : "Too many connections from your address");
    }

    @Override
    public void destroy() {
        AppContext app = AppContext.running(getServletContext());
        if (app != null) {
            int open = app.sessions().count();
            app.markStopping(); // first: GET /ready answers 503 before any client is told to reconnect
            CloseReason reason = app.closeReasonAtUndeploy();
            app.sessions().closeAll(reason);
            LOG.info(() -> "Undeploying: closed " + open + " open session(s) with " + reason.getCloseCode().getCode()
                    + " " + reason.getReasonPhrase());
        }
    }
}

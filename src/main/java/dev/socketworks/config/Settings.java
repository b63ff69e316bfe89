package dev.socketworks.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Every tunable of the WAR, each with a safe default and the reason for it. Values are read once at
 * deployment ({@link SettingsLoader}); an invalid one stops the deployment with a message naming it.
 */
public final class Settings {

    // The origin and host lists are read as text here and parsed by the handshake layer, which owns
    // their grammar (Settings.interpret); a bad value still fails the deployment with this reason.
    public static final Setting<String> ALLOWED_ORIGINS = new Setting<>("allowedOrigins", "same-origin",
            Setting::list,
            "browsers let any page open a WebSocket to any host; the Origin check is what stops cross-site hijacking");

    public static final Setting<String> ALLOWED_HOSTS = new Setting<>("allowedHosts", "localhost",
            Setting::list,
            "a DNS-rebinding page sends its own name as Host and Origin; same-origin only counts for hosts named here (IP literals always)");

    public static final Setting<Boolean> ALLOW_MISSING_ORIGIN = new Setting<>("allowMissingOrigin", "true",
            Setting::bool,
            "non-browser clients (curl, Tyrus, Node ws) send no Origin; every browser does, so allowing none is safe");

    public static final Setting<Long> MAX_MESSAGE_BYTES = new Setting<>("maxMessageBytes", "1048576",
            text -> Setting.positiveLong(text, 64L << 20),
            "bounds what one client can make the server buffer for a single incoming message");

    public static final Setting<Long> OUTBOX_MAX_MESSAGES = new Setting<>("outboxMaxMessages", "1024",
            text -> Setting.positiveLong(text, 1_000_000),
            "a client that stops reading must not make the server queue messages for it without bound");

    public static final Setting<Long> OUTBOX_MAX_BYTES = new Setting<>("outboxMaxBytes", "4194304",
            text -> Setting.positiveLong(text, 1L << 30),
            "caps the memory queued for one slow client, whatever the size of its messages");

    public static final Setting<Long> HEARTBEAT_INTERVAL_MS = new Setting<>("heartbeatIntervalMs", "25000",
            text -> Setting.longBetween(text, 100, 3_600_000),
            "proxies and NATs drop silent TCP connections after 30-60 s; a ping keeps them open and finds dead peers");

    public static final Setting<Long> IDLE_TIMEOUT_MS = new Setting<>("idleTimeoutMs", "0",
            text -> Setting.longBetween(text, 0, 86_400_000),
            "0 keeps silent receivers (broadcast, totals) open; set it to close clients that send nothing for that long");

    public static final Setting<Long> CHAT_HISTORY_SIZE = new Setting<>("chatHistorySize", "50",
            text -> Setting.longBetween(text, 0, 10_000),
            "messages replayed to a joiner and kept for chat-resume; memory is this times the rooms in use");

    public static final Setting<Long> CHAT_MAX_MESSAGE_BYTES = new Setting<>("chatMaxMessageBytes", "8192",
            text -> Setting.positiveLong(text, 1_000_000),
            "a chat line longer than this (UTF-8 bytes, the unit it costs in history) is refused, so one client cannot flood every screen");

    public static final Setting<Long> OUTBOX_TOTAL_BYTES = new Setting<>("outboxTotalBytes", "20%",
            text -> Setting.bytesOrHeapPercent(text, 1L << 40),
            "every client's queue together; thousands of clients that stop reading, each under outboxMaxBytes, must not exhaust the heap (default: 20% of -Xmx; past it, clients more than 16 KiB behind are cut)");

    public static final Setting<Long> CHAT_HISTORY_ROOM_BYTES = new Setting<>("chatHistoryRoomBytes", "262144",
            text -> Setting.positiveLong(text, 1L << 30),
            "one room's history may hold this much memory; the oldest messages go first, whatever chatHistorySize allows");

    public static final Setting<Long> CHAT_HISTORY_TOTAL_BYTES = new Setting<>("chatHistoryTotalBytes", "10%",
            text -> Setting.bytesOrHeapPercent(text, 1L << 40),
            "all rooms' history together; a client filling room after room must not exhaust the heap (default: 10% of -Xmx)");

    public static final Setting<Long> RATE_MESSAGES_PER_SECOND = new Setting<>("rateMessagesPerSecond", "100",
            text -> Setting.positiveLong(text, 1_000_000_000),
            "one client's sustained messages; a flood must cost the flooder, not the readers it fans out to");

    public static final Setting<Long> RATE_BURST = new Setting<>("rateBurst", "200",
            text -> Setting.positiveLong(text, 1_000_000_000),
            "messages a client may send at once (fizzbuzz's page sends 101); well under outboxMaxMessages, so one burst fanned out cannot overflow a reader's outbox");

    public static final Setting<Long> RATE_BYTES_PER_SECOND = new Setting<>("rateBytesPerSecond", "1048576",
            text -> Setting.positiveLong(text, 1L << 40),
            "one client's sustained bytes; the burst in bytes lasts as long as rateBurst does, and always takes one largest message");

    /**
     * What {@code maxConnections=auto} counts one connection as, on the heap: the attack report measured 73 KiB
     * for a plain one on a stock Tomcat 11 (its 8 KiB buffers, the session, our outbox and heartbeat), rounded
     * up. The handshake keeps nothing of a fat request (see HandshakeContext), so this holds for every client.
     */
    public static final long CONNECTION_HEAP_BYTES = 80 * 1024;
    /** The share of the heap {@code maxConnections=auto} gives connections; history takes 10 %, the rest is headroom. */
    public static final int CONNECTIONS_HEAP_PERCENT = 50;

    public static final Setting<Long> ADDRESS_MESSAGES_PER_SECOND = new Setting<>("addressMessagesPerSecond", "1000",
            text -> Setting.positiveLong(text, 1_000_000_000),
            "all connections from one address together (ten at the full per-connection rate: a NAT's bursts pass); past it each keeps its fair share and only what a flooder sends beyond its share is refused");

    public static final Setting<Long> ADDRESS_BYTES_PER_SECOND = new Setting<>("addressBytesPerSecond", "4194304",
            text -> Setting.positiveLong(text, 1L << 40),
            "all connections from one address together, in bytes (a connection per room filled history at 22 MB/s); shared fairly like addressMessagesPerSecond");

    public static final Setting<Long> MAX_CONNECTIONS = new Setting<>("maxConnections", "auto",
            text -> text.strip().equals("auto") ? autoMaxConnections(Runtime.getRuntime().maxMemory())
                    : Setting.positiveLong(text, 10_000_000),
            "every connection costs heap; past this, handshakes get HTTP 503 instead of an out-of-memory server (auto: half the heap at 80 KiB each)");

    public static final Setting<Long> MAX_CONNECTIONS_PER_ADDRESS = new Setting<>("maxConnectionsPerAddress", "256",
            text -> Setting.positiveLong(text, 10_000_000),
            "one address must not take every connection (or chat room) there is; past this, handshakes get HTTP 429");

    public static final Setting<Long> IPV6_CLIENT_PREFIX = new Setting<>("ipv6ClientPrefix", "64",
            text -> Setting.longBetween(text, 32, 128),
            "one IPv6 host is usually given a whole /64; its clients are counted per network of this many bits, or it could open connections without end");

    public static final Setting<Set<String>> TRUSTED_PROXIES = new Setting<>("trustedProxies", "",
            Setting::addressList,
            "behind a reverse proxy every client has the proxy's address; from these addresses X-Forwarded-For names the client");

    public static final Setting<Long> CHAT_ROOM_MESSAGES_PER_SECOND = new Setting<>("chatRoomMessagesPerSecond", "150",
            text -> Setting.longBetween(text, 0, 1_000_000),
            "each message costs a delivery per member; a room takes this many a second on one server, shared fairly among the addresses speaking (0: no limit)");

    public static final Setting<Long> CHAT_PRESENCE_LIST_MAX = new Setting<>("chatPresenceListMax", "1000",
            text -> Setting.positiveLong(text, 100_000),
            "a joiner's member list is O(members) bytes; above this many it names the first ones and gives the count");

    public static final Setting<Long> CHAT_PRESENCE_BATCH_MS = new Setting<>("chatPresenceBatchMs", "250",
            text -> Setting.longBetween(text, 0, 10_000),
            "a crowd (re)joining sends every member a join per arrival; changes this close together go as one message (0: each at once)");

    public static final Setting<Long> TOTALS_ADDITIONS_IN_FLIGHT = new Setting<>("totalsAdditionsInFlight", "64",
            text -> Setting.longBetween(text, 1, 10_000),
            "a producer's additions go to the engine without waiting for each answer; past this many on their way, its connection waits, so a flood queues nowhere but on the flooder");

    public static final Setting<Long> CHAT_MAX_ROOMS = new Setting<>("chatMaxRooms", "1000",
            text -> Setting.positiveLong(text, 1_000_000),
            "rooms are made by naming them in a URL; the cap bounds the history memory clients can claim that way");

    public static final Setting<String> ECHO_GREETING = new Setting<>("echoGreeting", "",
            UnaryOperator.identity(),
            "some clients (the Catalyst demo) expect a first message such as 'Echo Initiated'; empty sends none");

    public static final Setting<String> ROUTES = new Setting<>("routes", "",
            Settings::absolutePathOrEmpty,
            "programs and TCP services behind /run/{name} are off unless an operator lists them in this JSON file");

    public static final Setting<String> API_KEYS = new Setting<>("apiKeys", "",
            Settings::absolutePathOrEmpty,
            "the HTTP API lets a backend publish and steer clients: it is off (404) unless an operator lists its keys in this JSON file");

    public static final Setting<Long> API_REQUESTS_PER_SECOND = new Setting<>("apiRequestsPerSecond", "100",
            text -> Setting.longBetween(text, 1, 100_000),
            "one key's calls a second (bursts of twice as many): a backend stuck in a loop gets 429 and costs the others nothing");

    public static final Setting<Boolean> METRICS = new Setting<>("metrics", "on",
            text -> switch (text) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("expected on or off");
            },
            "off makes every meter a no-op and /metrics 404 (the admin page's figures read 0): for measuring what the metrics cost, not for production");

    public static final Setting<String> LOG_FORMAT = new Setting<>("logFormat", "text",
            text -> {
                if (!Set.of("text", "json").contains(text)) {
                    throw new IllegalArgumentException("expected text or json");
                }
                return text;
            },
            "text leaves Socketworks' log lines to the container's format; json writes each as one JSON object on standard output, for log shippers");

    public static final Setting<Long> DRAIN_GRACE_MS = new Setting<>("drainGraceMs", "5000",
            text -> Setting.longBetween(text, 0, 600_000),
            "a drained server stops taking clients at once but lets its own finish what they are doing this long before closing them with 1012 to reconnect elsewhere");

    public static final Setting<Long> RUN_STOP_GRACE_MS = new Setting<>("runStopGraceMs", "2000",
            text -> Setting.longBetween(text, 10, 60_000),
            "a program whose client left gets this long after stdin closes, and again after SIGTERM, before it is killed");

    public static final Setting<Long> RUN_CONNECT_TIMEOUT_MS = new Setting<>("runConnectTimeoutMs", "5000",
            text -> Setting.longBetween(text, 100, 60_000),
            "a tcp route's connect holds the client's handshake thread; an unreachable service must not hold it long");

    public static final Setting<String> ENGINE = new Setting<>("engine", "memory",
            Settings::engine,
            "rooms, broadcast and totals live in this server's memory unless several servers share them through Redis (redis://host:port)");

    public static final Setting<String> NODE_NAME = new Setting<>("nodeName", "",
            Settings::nodeName,
            "names this server in the logs and in Redis, which removes a dead server's chat members by it; empty: the host name and a random suffix");

    public static final Setting<Long> ENGINE_TIMEOUT_MS = new Setting<>("engineTimeoutMs", "2000",
            text -> Setting.longBetween(text, 100, 60_000),
            "a client's action waits at most this long for Redis; past it the client is told 'unavailable' instead of waiting on a dead link");

    public static final Setting<Long> NODE_DEAD_AFTER_MS = new Setting<>("nodeDeadAfterMs", "10000",
            text -> Setting.longBetween(text, 3_000, 300_000),
            "a server that dies without a goodbye holds its chat members; after this (plus a fifth) the other servers remove them");

    public static final Setting<Long> ENGINE_HISTORY_BYTES = new Setting<>("engineHistoryBytes", "67108864",
            text -> Setting.positiveLong(text, 1L << 40),
            "all rooms' history together in Redis (chatHistoryTotalBytes's counterpart): a client filling room after room must not fill Redis; the least recently used history goes first");

    public static final Setting<Long> ENGINE_MAX_TOPICS = new Setting<>("engineMaxTopics", "100000",
            text -> Setting.longBetween(text, 100, 1L << 32),
            "clients name rooms and arenas, each a few keys in Redis: past this many, those unused longest (a minute at least, nobody in them) are forgotten, so naming room after room cannot fill Redis");

    public static final Setting<Long> ENGINE_IDLE_EXPIRY_MS = new Setting<>("engineIdleExpiryMs", "86400000",
            text -> Setting.longBetween(text, 60_000, 31L * 86_400_000),
            "a room nobody uses must not keep its history in Redis forever; each use or server holding it renews this");

    public static final Setting<String> TICKER_MESSAGE = new Setting<>("tickerMessage", "Hello!",
            Settings::tickerMessage,
            "what /ticker sends to everyone at each tick (the lecture's broadcast example sends Hello!)");

    public static final Setting<Long> TICKER_INTERVAL_MS = new Setting<>("tickerIntervalMs", "3000",
            text -> Setting.longBetween(text, 100, 3_600_000),
            "how often /ticker sends; one timer per deployment however many clients, so the cost is one message per tick per client");

    public static final Setting<Long> ARENA_TICK_MS = new Setting<>("arenaTickMs", "50",
            text -> Setting.longBetween(text, 10, 1000),
            "each tick advances every arena and sends each player a delta: 20 per second is smooth; faster costs CPU and bytes per player");

    public static final Setting<Long> ARENA_MAX_ARENAS = new Setting<>("arenaMaxArenas", "100",
            text -> Setting.positiveLong(text, 10_000),
            "each arena with players runs a world and a timer; a join that would start one more is refused (main always runs), and a place is given back when nobody plays");

    public static final Setting<Long> ARENA_MAX_PLAYERS = new Setting<>("arenaMaxPlayers", "100",
            text -> Setting.positiveLong(text, 10_000),
            "players per arena, counted where it runs across every server; every tick costs a view and a delta per player, so one more join is refused with arena-full");

    public static final Setting<Long> ARENA_MAX_WATCHERS = new Setting<>("arenaMaxWatchers", "1000",
            text -> Setting.longBetween(text, 0, 100_000),
            "connections to one arena on one server beyond arenaMaxPlayers (watchers get the leaderboard each second); one more is refused with 1013");

    public static final Setting<Long> ARENA_COMMANDS_PER_SECOND = new Setting<>("arenaCommandsPerSecond", "60",
            text -> Setting.positiveLong(text, 10_000),
            "a game client sends on every mouse move; commands past this per player are dropped (each takes the arena's lock)");

    public static final Setting<Long> ARENA_SAYS_PER_SECOND = new Setting<>("arenaSaysPerSecond", "2",
            text -> Setting.longBetween(text, 1, 100),
            "a say goes to every player near the speaker; says past this per player are dropped (99 players saying 60/s froze an arena)");

    public static final Setting<Long> ARENA_WORLD_SIZE = new Setting<>("arenaWorldSize", "4000",
            text -> Setting.longBetween(text, 500, 8000),
            "the side of each arena's square world in world units (a player sees about 1000 across); pellets scale with its area, and every view scans them each tick");

    public static final Setting<Long> ARENA_BOTS = new Setting<>("arenaBots", "0",
            text -> Setting.longBetween(text, 0, 1000),
            "computer players in the arena main (the page's default) so a lone visitor sees life; each costs its share of every tick but no connection");

    public static final Setting<String> AUTH = new Setting<>("auth", "none",
            Settings::authMode,
            "who may connect: none asks nobody (everyone is a guest with guestRights), token checks a signed JWT before the upgrade (HTTP 401/403), container takes the container's authenticated user (HTTP Basic checked by its realm, or its own login) and maps its roles with containerRoles");

    public static final Setting<String> CONTAINER_ROLES = new Setting<>("containerRoles", "socketworks=*",
            Settings::containerRoles,
            "with auth=container, what each of the container's roles may do (role=rights;role=rights); a user gets the rights of every role it is in, none when in none");

    public static final Setting<String> TOKEN_SECRET = new Setting<>("tokenSecret", "",
            Settings::tokenSecret,
            "HS256 tokens are signed with a secret shared with the application; at least 32 bytes, set from the environment and never shown");

    public static final Setting<String> TOKEN_KEYS = new Setting<>("tokenKeys", "",
            Settings::tokenKeys,
            "RS256/ES256 tokens are checked with an identity provider's public keys: an absolute path to a JWKS or PEM file, or its https:// JWKS URL (fetched again for a new key id, so keys rotate without a redeploy)");

    public static final Setting<String> TOKEN_ISSUER = new Setting<>("tokenIssuer", "",
            text -> text,
            "a token from another issuer that shares the keys must not open connections here; empty: any issuer");

    public static final Setting<String> TOKEN_AUDIENCE = new Setting<>("tokenAudience", "",
            text -> text,
            "a token minted for another service must not open connections here; empty: any audience");

    public static final Setting<Long> TOKEN_CLOCK_SKEW_SECONDS = new Setting<>("tokenClockSkewSeconds", "30",
            text -> Setting.longBetween(text, 0, 300),
            "the identity provider's clock and this server's drift apart; exp and nbf are honoured within this");

    public static final Setting<Long> TOKEN_GRACE_MS = new Setting<>("tokenGraceMs", "25000",
            text -> Setting.longBetween(text, 0, 3_600_000),
            "a connection ends (1008 token expired) this long after its token's exp: time for the client to reconnect with a fresh token, not to keep a revoked one");

    public static final Setting<Long> TOKEN_REVOCATION_MS = new Setting<>("tokenRevocationMs", "86400000",
            text -> Setting.longBetween(text, 1000, 31_536_000_000L),
            "a revoked user's tokens issued before the revocation are refused this long on every server: make it longer than the longest-lived token your issuer grants");

    public static final Setting<Long> MAX_CONNECTIONS_PER_USER = new Setting<>("maxConnectionsPerUser", "32",
            text -> Setting.longBetween(text, 1, 100_000),
            "one user's token must not take every connection (a leaked one least of all); past this, that user's handshakes get HTTP 429");

    public static final Setting<String> GUEST_RIGHTS = new Setting<>("guestRights", "auto",
            Setting::list,
            "what a connection without credentials may do (rights like chat-read:lobby,echo): auto is everything with auth=none, as before, and nothing otherwise");

    public static final List<Setting<?>> ALL = List.of(ALLOWED_ORIGINS, ALLOWED_HOSTS, ALLOW_MISSING_ORIGIN,
            MAX_MESSAGE_BYTES, OUTBOX_MAX_MESSAGES, OUTBOX_MAX_BYTES, OUTBOX_TOTAL_BYTES, HEARTBEAT_INTERVAL_MS, IDLE_TIMEOUT_MS,
            RATE_MESSAGES_PER_SECOND, RATE_BURST, RATE_BYTES_PER_SECOND, ADDRESS_MESSAGES_PER_SECOND,
            ADDRESS_BYTES_PER_SECOND, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS,
            IPV6_CLIENT_PREFIX, TRUSTED_PROXIES, CHAT_HISTORY_SIZE, CHAT_HISTORY_ROOM_BYTES, CHAT_HISTORY_TOTAL_BYTES,
            CHAT_MAX_MESSAGE_BYTES, CHAT_ROOM_MESSAGES_PER_SECOND, CHAT_PRESENCE_LIST_MAX, CHAT_PRESENCE_BATCH_MS, TOTALS_ADDITIONS_IN_FLIGHT, CHAT_MAX_ROOMS, ECHO_GREETING, ROUTES, API_KEYS, API_REQUESTS_PER_SECOND, METRICS, LOG_FORMAT, DRAIN_GRACE_MS, RUN_STOP_GRACE_MS, RUN_CONNECT_TIMEOUT_MS,
            ENGINE, NODE_NAME, ENGINE_TIMEOUT_MS, NODE_DEAD_AFTER_MS, ENGINE_IDLE_EXPIRY_MS, ENGINE_HISTORY_BYTES, ENGINE_MAX_TOPICS, TICKER_MESSAGE, TICKER_INTERVAL_MS,
            ARENA_TICK_MS, ARENA_MAX_ARENAS, ARENA_MAX_PLAYERS, ARENA_MAX_WATCHERS, ARENA_COMMANDS_PER_SECOND, ARENA_SAYS_PER_SECOND, ARENA_WORLD_SIZE, ARENA_BOTS,
            AUTH, CONTAINER_ROLES, TOKEN_SECRET, TOKEN_KEYS, TOKEN_ISSUER, TOKEN_AUDIENCE, TOKEN_CLOCK_SKEW_SECONDS, TOKEN_GRACE_MS, TOKEN_REVOCATION_MS, MAX_CONNECTIONS_PER_USER, GUEST_RIGHTS);

    private static volatile Settings installed;

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> sources;

    Settings(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /**
     * A text setting read by a layer that owns its grammar: {@code parser}'s IllegalArgumentException
     * becomes the same InvalidSettingException, naming the source and the reason, as a bad number.
     */
    public <T> T interpret(Setting<String> setting, Function<String, T> parser) {
        return setting.interpret(get(setting), sources.get(setting), parser);
    }

    public boolean allowMissingOrigin() {
        return get(ALLOW_MISSING_ORIGIN);
    }

    public long maxMessageBytes() {
        return get(MAX_MESSAGE_BYTES);
    }

    public int outboxMaxMessages() {
        return Math.toIntExact(get(OUTBOX_MAX_MESSAGES));
    }

    public long outboxMaxBytes() {
        return get(OUTBOX_MAX_BYTES);
    }

    public long outboxTotalBytes() {
        return get(OUTBOX_TOTAL_BYTES);
    }

    public java.time.Duration heartbeatInterval() {
        return java.time.Duration.ofMillis(get(HEARTBEAT_INTERVAL_MS));
    }

    /** Zero means no idle timeout. */
    public java.time.Duration idleTimeout() {
        return java.time.Duration.ofMillis(get(IDLE_TIMEOUT_MS));
    }

    public int chatHistorySize() {
        return Math.toIntExact(get(CHAT_HISTORY_SIZE));
    }

    public int chatMaxMessageBytes() {
        return Math.toIntExact(get(CHAT_MAX_MESSAGE_BYTES));
    }

    public long chatHistoryRoomBytes() {
        return get(CHAT_HISTORY_ROOM_BYTES);
    }

    public long chatHistoryTotalBytes() {
        return get(CHAT_HISTORY_TOTAL_BYTES);
    }

    public long rateMessagesPerSecond() {
        return get(RATE_MESSAGES_PER_SECOND);
    }

    public long rateBurst() {
        return get(RATE_BURST);
    }

    public long rateBytesPerSecond() {
        return get(RATE_BYTES_PER_SECOND);
    }

    /** {@code auto}: half the heap divided by what a connection costs (512 MiB: 3,276; 4 GiB: 26,214). */
    public static long autoMaxConnections(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / 100 * CONNECTIONS_HEAP_PERCENT / CONNECTION_HEAP_BYTES);
    }

    public long maxConnections() {
        return get(MAX_CONNECTIONS);
    }

    public long maxConnectionsPerAddress() {
        return get(MAX_CONNECTIONS_PER_ADDRESS);
    }

    public Set<String> trustedProxies() {
        return get(TRUSTED_PROXIES);
    }

    public int chatPresenceListMax() {
        return Math.toIntExact(get(CHAT_PRESENCE_LIST_MAX));
    }

    public long chatPresenceBatchMs() {
        return get(CHAT_PRESENCE_BATCH_MS);
    }

    public int totalsAdditionsInFlight() {
        return Math.toIntExact(get(TOTALS_ADDITIONS_IN_FLIGHT));
    }

    public int chatMaxRooms() {
        return Math.toIntExact(get(CHAT_MAX_ROOMS));
    }

    public String echoGreeting() {
        return get(ECHO_GREETING);
    }

    /** The routes file, or empty when no routes are configured. */
    public String routesFile() {
        return get(ROUTES);
    }

    public java.time.Duration runStopGrace() {
        return java.time.Duration.ofMillis(get(RUN_STOP_GRACE_MS));
    }

    public java.time.Duration runConnectTimeout() {
        return java.time.Duration.ofMillis(get(RUN_CONNECT_TIMEOUT_MS));
    }

    /** "memory", or the Redis URI; empty when in memory. */
    public String engineUri() {
        String engine = get(ENGINE);
        return engine.equals("memory") ? "" : engine;
    }

    public String nodeName() {
        return get(NODE_NAME);
    }

    public java.time.Duration engineTimeout() {
        return java.time.Duration.ofMillis(get(ENGINE_TIMEOUT_MS));
    }

    public java.time.Duration nodeDeadAfter() {
        return java.time.Duration.ofMillis(get(NODE_DEAD_AFTER_MS));
    }

    public long engineHistoryBytes() {
        return get(ENGINE_HISTORY_BYTES);
    }

    public String apiKeys() {
        return get(API_KEYS);
    }

    public java.time.Duration drainGrace() {
        return java.time.Duration.ofMillis(get(DRAIN_GRACE_MS));
    }

    public long apiRequestsPerSecond() {
        return get(API_REQUESTS_PER_SECOND);
    }

    public long engineMaxTopics() {
        return get(ENGINE_MAX_TOPICS);
    }

    public java.time.Duration engineIdleExpiry() {
        return java.time.Duration.ofMillis(get(ENGINE_IDLE_EXPIRY_MS));
    }

    private static final java.util.regex.Pattern NODE = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final java.util.regex.Pattern HOST_LIST = java.util.regex.Pattern.compile(
            "(redis-cluster|redis-sentinel)://([^@/\\s]+@)?[A-Za-z0-9.\\-\\[\\]:]+(,[A-Za-z0-9.\\-\\[\\]:]+)*(/\\d{0,2})?(#[A-Za-z0-9._-]+)?");

    /** Checked here so a typo fails the deployment; the Redis client reads the same URI. */
    private static String engine(String text) {
        if (text.equals("memory")) {
            return text;
        }
        if (text.startsWith("redis-cluster://") || text.startsWith("redis-sentinel://")) {
            if (!HOST_LIST.matcher(text).matches()) {
                throw new IllegalArgumentException("expected redis-cluster://host:port[,host:port...] or redis-sentinel://host:port[,host:port...][/db]#master");
            }
            return text;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URI (" + e.getReason() + ")");
        }
        if (!Set.of("redis", "rediss").contains(String.valueOf(uri.getScheme()))) {
            throw new IllegalArgumentException("expected memory, redis://host:port, rediss://host:port, redis-cluster://host:port,... or redis-sentinel://host:port,...#master");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("names no host");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.matches("/\\d{1,2}")) {
            throw new IllegalArgumentException("the path, if any, is a database number: /0 to /99");
        }
        return text;
    }

    public long arenaTickMillis() {
        return get(ARENA_TICK_MS);
    }

    public int arenaMaxArenas() {
        return Math.toIntExact(get(ARENA_MAX_ARENAS));
    }

    public int arenaMaxPlayers() {
        return Math.toIntExact(get(ARENA_MAX_PLAYERS));
    }

    public int arenaCommandsPerSecond() {
        return Math.toIntExact(get(ARENA_COMMANDS_PER_SECOND));
    }

    public long chatRoomMessagesPerSecond() {
        return get(CHAT_ROOM_MESSAGES_PER_SECOND);
    }

    public long addressMessagesPerSecond() {
        return get(ADDRESS_MESSAGES_PER_SECOND);
    }

    public long addressBytesPerSecond() {
        return get(ADDRESS_BYTES_PER_SECOND);
    }

    public int ipv6ClientPrefix() {
        return Math.toIntExact(get(IPV6_CLIENT_PREFIX));
    }

    public int arenaMaxWatchers() {
        return Math.toIntExact(get(ARENA_MAX_WATCHERS));
    }

    public int arenaSaysPerSecond() {
        return Math.toIntExact(get(ARENA_SAYS_PER_SECOND));
    }

    public int arenaWorldSize() {
        return Math.toIntExact(get(ARENA_WORLD_SIZE));
    }

    public int arenaBots() {
        return Math.toIntExact(get(ARENA_BOTS));
    }

    public String tickerMessage() {
        return get(TICKER_MESSAGE);
    }

    public java.time.Duration tickerInterval() {
        return java.time.Duration.ofMillis(get(TICKER_INTERVAL_MS));
    }

    /** Sent to every client at each tick: one line of text, at most 1,024 bytes. */
    private static String tickerMessage(String text) {
        if (text.isEmpty() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new IllegalArgumentException("must be 1 to 1024 bytes");
        }
        return text;
    }

    private static String nodeName(String text) {
        if (text.isEmpty()) {
            String host = System.getenv().getOrDefault("HOSTNAME", "node").replaceAll("[^A-Za-z0-9._-]", "");
            String suffix = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
            return (host.isEmpty() ? "node" : host.substring(0, Math.min(40, host.length()))) + "-" + suffix;
        }
        if (!NODE.matcher(text).matches()) {
            throw new IllegalArgumentException("use 1-64 letters, digits, '.', '_' or '-'");
        }
        return text;
    }

    private static String authMode(String text) {
        if (!Set.of("none", "token", "container").contains(text)) {
            throw new IllegalArgumentException("expected none, token or container");
        }
        return text;
    }

    /** "role=right,right;role=right": role names as containers write them, rights as guestRights does. */
    private static String containerRoles(String text) {
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0 || !entry.substring(0, equals).strip().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("expected role=right,right;role=right with role names of letters, digits, '.', '_' or '-'");
            }
        }
        return text;
    }

    /** Never echoes the value: a too-short secret is still a secret. */
    private static String tokenSecret(String text) {
        if (!text.isEmpty() && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
        }
        return text;
    }

    private static String tokenKeys(String text) {
        if (text.isEmpty() || text.startsWith("https://")) {
            return text;
        }
        if (text.startsWith("http://")) {
            String host = java.net.URI.create(text).getHost();
            if (host != null && (host.equals("localhost") || host.startsWith("127."))) {
                return text; // a test's identity provider
            }
            throw new IllegalArgumentException("a JWKS URL must be https:// (http:// only on loopback)");
        }
        return absolutePathOrEmpty(text);
    }

    private static String absolutePathOrEmpty(String text) {
        if (!text.isEmpty() && !java.nio.file.Path.of(text).isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute path (containers differ in their working directory)");
        }
        return text;
    }

    /** One line per setting with its value and where it came from, for the deployment log. */
    public String describe() {
        return ALL.stream()
                .map(s -> s.propertyName() + "=" + shown(s) + " (" + sources.get(s) + ")")
                .collect(Collectors.joining(", "));
    }

    private String shown(Setting<?> setting) {
        String value = String.valueOf(values.get(setting));
        return setting.secret() ? (value.isEmpty() ? "" : "***") : Setting.printable(value);
    }

    public boolean metrics() {
        return get(METRICS);
    }

    public String logFormat() {
        return get(LOG_FORMAT);
    }

    public String auth() {
        return get(AUTH);
    }

    public String containerRoles() {
        return get(CONTAINER_ROLES);
    }

    public String tokenSecret() {
        return get(TOKEN_SECRET);
    }

    public String tokenKeys() {
        return get(TOKEN_KEYS);
    }

    public String tokenIssuer() {
        return get(TOKEN_ISSUER);
    }

    public String tokenAudience() {
        return get(TOKEN_AUDIENCE);
    }

    public java.time.Duration tokenClockSkew() {
        return java.time.Duration.ofSeconds(get(TOKEN_CLOCK_SKEW_SECONDS));
    }

    public java.time.Duration tokenRevocation() {
        return java.time.Duration.ofMillis(get(TOKEN_REVOCATION_MS));
    }

    public java.time.Duration tokenGrace() {
        return java.time.Duration.ofMillis(get(TOKEN_GRACE_MS));
    }

    public long maxConnectionsPerUser() {
        return get(MAX_CONNECTIONS_PER_USER);
    }

    /** guestRights as written; "auto" is resolved by the auth mode where rights are parsed. */
    public String guestRights() {
        return get(GUEST_RIGHTS);
    }

    /** Called once the deployment has loaded and validated its settings. */
    public static void install(Settings settings) {
        installed = settings;
    }

    /**
     * The deployment's settings, as its start-up installed them: for the handshake's code, which the
     * container calls without the deployment at hand. Nothing loads them on demand.
     */
    public static Settings current() {
        Settings s = installed;
        if (s == null) {
            throw new IllegalStateException("no settings installed: Socketworks has not started");
        }
        return s;
    }
}

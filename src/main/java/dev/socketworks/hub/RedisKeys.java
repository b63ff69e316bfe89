package dev.socketworks.hub;

/**
 * Every key and channel the engine uses, under one prefix (several deployments or tests can share
 * one Redis). A topic's keys share its hash tag, so a script on them stays in one slot of a Redis
 * Cluster; so do the servers' bookkeeping keys ({@code {nodes}}) and the history account.
 */
record RedisKeys(String prefix) {

    String topic(String topic, String part) {
        return prefix + "{" + topic + "}:" + part;
    }

    /** The topic's pub/sub channel. */
    String channel(String topic) {
        return prefix + "{" + topic + "}";
    }

    /** The keys a member's entry and leave touch: the topic's state, members, their order, holds and users. */
    String[] presence(String topic) {
        return new String[]{topic(topic, "meta"), topic(topic, "members"), topic(topic, "order"), topic(topic, "holds"), topic(topic, "users")};
    }

    /** Every key a topic may have: what is renewed while it is in use. */
    String[] everyOf(String topic) {
        return new String[]{topic(topic, "meta"), topic(topic, "log"), topic(topic, "members"), topic(topic, "order"),
                topic(topic, "holds"), topic(topic, "users")};
    }

    /** Server bookkeeping (alive marks, the topics and places each holds) shares one hash tag: its scripts touch several. */
    String nodes(String part) {
        return prefix + "{nodes}:" + part;
    }

    /** The topics the servers used, and when: what the topic budget forgets from. */
    String seenTopics() {
        return prefix + "{topics}:seen";
    }

    String places(String group) {
        return prefix + "{places:" + group + "}";
    }

    String revoked(String subject) {
        return prefix + "{revoked:" + subject + "}";
    }

    String lease(String name) {
        return prefix + "{lease:" + name + "}";
    }

    /** The engine-wide history account: the budget, each topic's bytes, and when each last published. */
    String[] historyAccount() {
        String tag = prefix + "{history}:";
        return new String[]{tag + "bytes", tag + "used", tag + "total"};
    }
}

package dev.socketworks.totals;

/** JSON mode's update: <pre>{"type":"total","total":42,"seq":7}</pre> */
public record TotalMessage(String type, long total, long seq) {
    public TotalMessage(long total, long seq) {
        this("total", total, seq);
    }
}

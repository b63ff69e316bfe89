package dev.socketworks.totals;

import dev.socketworks.hub.CounterChange;
import dev.socketworks.runtime.ApiServlet;
import dev.socketworks.runtime.AppContext;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/totals}: {@code GET} the running total ({@code {"total": N, "seq": S}}), {@code POST
 * {"add": n}} to add to it as a client's number would (every watcher on every server hears the new
 * total; the answer is the total after this addition). {@code add} is a whole number; an addition that
 * would overflow the total is refused with 409 and changes nothing.
 */
@WebServlet(urlPatterns = "/api/totals")
public class TotalsApi extends ApiServlet {

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", "api:totals", "POST", "api:totals");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        RunningTotal total = app.service(RunningTotal.class, context -> new RunningTotal(context.hub()));
        if (request.getMethod().equals("GET")) {
            TotalMessage now = total.now();
            json(response, 200, new Total(now.total(), now.seq()));
            return;
        }
        JsonObject body = jsonBody(request, response, app.settings().maxMessageBytes());
        if (body == null) {
            return;
        }
        if (!body.keySet().equals(Set.of("add")) || !(body.get("add") instanceof JsonNumber number) || !number.isIntegral()) {
            error(response, 400, "invalid-field", "send {\"add\": n}, n a whole number");
            return;
        }
        long amount;
        try {
            amount = number.bigIntegerValueExact().longValueExact();
        } catch (ArithmeticException e) {
            error(response, 400, "invalid-field", "add must be a whole number between -2^63 and 2^63-1");
            return;
        }
        CounterChange change = total.add(amount);
        if (change instanceof CounterChange.Counted counted) {
            json(response, 200, new Total(counted.value(), counted.offset()));
        } else {
            error(response, 409, "overflow", "the total would overflow; nothing was added");
        }
    }

    /** The running total and its sequence number (the {@code seq} of totals.json). */
    public record Total(long total, long seq) {
    }
}

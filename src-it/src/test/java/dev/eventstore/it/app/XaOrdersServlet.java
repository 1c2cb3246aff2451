package dev.eventstore.it.app;

import dev.eventstore.OptimisticConcurrencyException;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.jms.JMSContext;
import jakarta.jms.QueueBrowser;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Enumeration;
import java.util.UUID;

/**
 * The test JVM's way in: {@code POST /xa/{command}?id=...} runs a command of {@link XaOrders} (204 when it committed,
 * 409 when the store rejected it, 500 when it failed otherwise); {@code GET /xa/messages?id=...} counts the order's
 * committed messages on the queue; {@code GET /xa/held} answers the gid prefix of a transaction held in prepare (204
 * while none is) and {@code POST /xa/held?vote=commit|rollback} ends the wait.
 */
@WebServlet("/xa/*")
public class XaOrdersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    transient XaOrders orders;

    @Inject
    transient PrepareGate gate;

    @Inject
    transient JMSContext jms;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String command = request.getPathInfo();
        if ("/held".equals(command)) {
            String vote = request.getParameter("vote");
            boolean voted = gate.vote("commit".equals(vote));
            response.setStatus(voted ? HttpServletResponse.SC_NO_CONTENT : HttpServletResponse.SC_CONFLICT);
            return;
        }
        String orderId = orderId(request);
        try {
            switch (String.valueOf(command)) {
                case "/place" -> orders.place(orderId);
                case "/place-then-fail" -> orders.placeThenFail(orderId);
                case "/place-again" -> orders.placeAgain(orderId);
                case "/place-held" -> orders.placeHeldInPrepare(orderId);
                default -> {
                    response.sendError(HttpServletResponse.SC_NOT_FOUND, "no command " + command);
                    return;
                }
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (EJBException e) {
            response.setStatus(causedBy(e, OptimisticConcurrencyException.class)
                    ? HttpServletResponse.SC_CONFLICT : HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            response.setContentType("text/plain");
            response.getWriter().print(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        if ("/held".equals(request.getPathInfo())) {
            var held = gate.heldGidPrefix();
            if (held.isEmpty()) {
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else {
                response.getWriter().print(held.get());
            }
        } else if ("/messages".equals(request.getPathInfo())) {
            response.getWriter().print(messages(orderId(request)));
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /** Browsing sees committed messages only, and takes none away. */
    private int messages(String orderId) {
        try (QueueBrowser browser = jms.createBrowser(jms.createQueue(XaOrders.QUEUE),
                "aggregateId = '" + orderId + "'")) {
            Enumeration<?> messages = browser.getEnumeration();
            int count = 0;
            while (messages.hasMoreElements()) {
                messages.nextElement();
                count++;
            }
            return count;
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("cannot browse " + XaOrders.QUEUE + ": " + e, e);
        }
    }

    /** A UUID, so it can go into the message selector as it is. */
    private static String orderId(HttpServletRequest request) {
        return UUID.fromString(request.getParameter("id")).toString();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}

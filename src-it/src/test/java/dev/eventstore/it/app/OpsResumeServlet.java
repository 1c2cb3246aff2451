package dev.eventstore.it.app;

import dev.eventstore.async.AsyncProjections;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** POST /ops/resume?name=...: what an operator's tool does after fixing a parked projection's cause. */
@WebServlet("/ops/resume")
public class OpsResumeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient AsyncProjections projections;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        projections.resume(request.getParameter("name"));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}

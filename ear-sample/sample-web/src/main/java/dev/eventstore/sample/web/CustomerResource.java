package dev.eventstore.sample.web;

import dev.eventstore.sample.readmodel.CustomerTotals;
import dev.eventstore.sample.readmodel.OrderQueries;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Per-customer totals from the asynchronous projection: eventually consistent with the orders. */
@RequestScoped
@Path("/customers")
@Produces(MediaType.APPLICATION_JSON)
public class CustomerResource {

    @EJB
    OrderQueries queries;

    @GET
    @Path("/{customer}")
    public CustomerTotals totals(@PathParam("customer") String customer) {
        return queries.customerTotals(customer)
                .orElseThrow(() -> new NotFoundException("No totals for customer " + customer + " (yet)"));
    }
}

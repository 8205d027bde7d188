package clinic.conformance.server.calendar;

/** Inserts events into a calendar and deletes them; the production part talks to Google Calendar's REST API. */
@FunctionalInterface
public interface CalendarGateway {
    CalendarResult insert(CalendarEvent event);

    /** Deletes the event of a cancelled booking; a gateway that cannot delete refuses, and the row says failed. */
    default CalendarResult delete(CalendarEvent event) {
        return new CalendarResult.Rejected("this calendar gateway does not delete events");
    }
}

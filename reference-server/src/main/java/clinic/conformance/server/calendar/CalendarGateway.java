package clinic.conformance.server.calendar;

/** Inserts events into a calendar; the production part talks to Google Calendar's REST API. */
@FunctionalInterface
public interface CalendarGateway {
    CalendarResult insert(CalendarEvent event);
}

'use strict';
// OWA (Outlook on the web) GetUserAvailabilityInternal JSON shapes, ported from
// test-captures/ewsbodies.py (owa_request / owa_response / OWA_MESSAGE_XML)
// and the OWA request headers of test-captures/generate.py (OWA_HEADERS).

const E = 'http://schemas.microsoft.com/exchange/services/2006/errors';

// The proxy failure text that the availability proxy puts into the Responses[] entry.
const PROXY_FAILED_TEXT =
  'Proxy web request failed. , inner exception: Unable to read data from the transport connection: ' +
  'An existing connection was forcibly closed by the remote host.';

const OWA_MESSAGE_XML =
  `<ExceptionType xmlns="${E}">ProxyWebRequestProcessingException</ExceptionType>` +
  `<ExceptionCode xmlns="${E}">5016</ExceptionCode><ExceptionServerName xmlns="${E}">EXA01</ExceptionServerName>` +
  `<ResponseSource xmlns="${E}">https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity</ResponseSource>`;

function owaRequest(mailboxes, view = 'DetailedMerged', start = '2026-11-25T00:00:00.000',
                    end = '2026-11-26T00:00:00.000', interval = 30) {
  return {
    request: {
      __type: 'GetUserAvailabilityInternalJsonRequest:#Exchange',
      Header: {
        __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'V2018_01_08',
        TimeZoneContext: {
          __type: 'TimeZoneContext:#Exchange',
          TimeZoneDefinition: { __type: 'TimeZoneDefinitionType:#Exchange', Id: 'Pacific Standard Time' },
        },
      },
      Body: {
        __type: 'GetUserAvailabilityRequest:#Exchange',
        MailboxDataArray: mailboxes.map(m => ({
          __type: 'MailboxData:#Exchange',
          Email: { __type: 'EmailAddress:#Exchange', Address: m },
          AttendeeType: 'Required',
        })),
        FreeBusyViewOptions: {
          __type: 'FreeBusyViewOptions:#Exchange',
          TimeWindow: { __type: 'Duration:#Exchange', StartTime: start, EndTime: end },
          MergedFreeBusyIntervalInMinutes: interval, RequestedView: view,
        },
      },
    },
  };
}

// results: array of ['error', text] or ['ok', merged, [[start, end, busyType, subject, location], ...]]
function owaResponse(results) {
  const responses = results.map(r => {
    if (r[0] === 'error') {
      return {
        ResponseMessage: { MessageText: r[1], ResponseCode: 'ErrorProxyRequestProcessingFailed',
                           MessageXml: OWA_MESSAGE_XML, ResponseClass: 'Error' },
        CalendarView: { FreeBusyViewType: 'None' },
      };
    }
    return {
      ResponseMessage: { ResponseCode: 'NoError', ResponseClass: 'Success' },
      CalendarView: {
        FreeBusyViewType: 'DetailedMerged', MergedFreeBusy: r[1],
        Items: r[2].map(([s, e, b, subj, loc]) => ({
          __type: 'CalendarItem:#Exchange', Start: s, End: e, FreeBusyType: b, Subject: subj,
          EnhancedLocation: { DisplayName: loc }, IsMeeting: true, ReminderIsSet: false,
        })),
        WorkingHours: { WorkingPeriodArray: [{ DayOfWeek: ['Monday', 'Tuesday', 'Wednesday'],
                                               StartTimeInMinutes: 480, EndTimeInMinutes: 1020 }] },
      },
    };
  });
  return {
    Header: { ServerVersionInfo: { MajorVersion: 15, MinorVersion: 2, MajorBuildNumber: 1118,
                                   MinorBuildNumber: 40, Version: 'V2018_01_08' } },
    Body: { __type: 'GetUserAvailabilityInternalResponse:#Exchange', ResponseClass: 'Success',
            ResponseCode: 'NoError', Responses: responses },
  };
}

// What the lab server does, keyed by the first mailbox of the request's MailboxDataArray.
// The page issues the lookups in this order.
const SCENARIOS = [
  { step: 1, name: 'ok', mailboxes: ['x2@contoso.com', 'x3@contoso.com'],
    results: [['ok', '000022220000000000000000000000000000000000000000',
               [['2026-11-25T02:00:00-08:00', '2026-11-25T04:00:00-08:00', 'Busy', 'Design review', 'Room 12']]],
              ['ok', '000000000000000011000000000000000000000000000000',
               [['2026-11-25T08:00:00-08:00', '2026-11-25T09:00:00-08:00', 'Tentative', 'Lunch & learn', 'Cafeteria']]]] },
  { step: 2, name: 'proxy-error', mailboxes: ['y1@fabrikam.com', 'y2@fabrikam.com'],
    results: [['error', PROXY_FAILED_TEXT],
              ['ok', '000022220000000000000000000000000000000000000000',
               [['2026-11-25T02:00:00-08:00', '2026-11-25T04:00:00-08:00', 'Busy', 'Design review', 'Room 12']]]] },
  { step: 3, name: 'tcp-reset', mailboxes: ['y3@fabrikam.com'] },
  { step: 4, name: 'gzip', mailboxes: ['x4@contoso.com', 'y2@fabrikam.com'],
    results: [['ok', '222200000000000000000000000000000000000000000000',
               [['2026-11-25T00:00:00-08:00', '2026-11-25T02:00:00-08:00', 'OOF', 'Flight to Redmond', 'SEA']]],
              ['ok', '000000000000000000000000000000000000000000000000', []]] },
  { step: 5, name: 'http-500', mailboxes: ['y5@fabrikam.com'] },
];

const OWA_500_BODY = {
  Body: { __type: 'GetUserAvailabilityInternalResponse:#Exchange', ResponseClass: 'Error',
          ResponseCode: 'ErrorInternalServerError',
          MessageText: 'An internal server error occurred. The operation failed.' },
};

module.exports = { PROXY_FAILED_TEXT, OWA_MESSAGE_XML, owaRequest, owaResponse, SCENARIOS, OWA_500_BODY };

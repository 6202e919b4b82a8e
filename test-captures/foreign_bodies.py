"""Availability bodies laid out the way other software lays them out, not the way ewsbodies.py
does: each keeps its sender's whitespace, prefixes and namespace declarations. Written for
this project from the shapes those senders are known to produce (none is copied):

- the Exchange 2007 SDK's documentation style: pretty-printed, default namespaces on the
  arrays, a ResponseMessage that carries only <Path select=...> (no ResponseCode), and a
  SuggestionsResponse with its own ResponseMessage;
- Outlook for Mac: a request with only SuggestionsViewOptions (no FreeBusyViewOptions),
  answered by a SuggestionsResponse alone;
- Exchange 2013 throttling: a mailbox answered with ErrorServerBusy and MessageXml
  <t:Value Name="BackOffMilliseconds">, CRLF line ends and the s:/m:/t: prefixes Exchange writes;
- a body whose prolog declares entities (a billion-laughs DOCTYPE) and then uses one in a
  MessageText, with the mailbox's Success after it."""

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"


def sdk_request(mailboxes):
    """Free/busy and suggestions in one request, SDK sample layout (4-space indent, xmlns on each array)."""
    mbx = "".join("""
        <MailboxData xmlns="{T}">
          <Email>
            <Address>{a}</Address>
          </Email>
          <AttendeeType>Required</AttendeeType>
          <ExcludeConflicts>false</ExcludeConflicts>
        </MailboxData>""".format(T=T, a=a) for a in mailboxes)
    return """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="{XSI}"
               xmlns:xsd="{XSD}"
               xmlns:soap="{S}"
               xmlns:t="{T}">
  <soap:Body>
    <GetUserAvailabilityRequest xmlns="{M}"
                xmlns:t="{T}">
      <t:TimeZone xmlns="{T}">
        <Bias>480</Bias>
        <StandardTime>
          <Bias>0</Bias>
          <Time>02:00:00</Time>
          <DayOrder>5</DayOrder>
          <Month>10</Month>
          <DayOfWeek>Sunday</DayOfWeek>
        </StandardTime>
        <DaylightTime>
          <Bias>-60</Bias>
          <Time>02:00:00</Time>
          <DayOrder>1</DayOrder>
          <Month>4</Month>
          <DayOfWeek>Sunday</DayOfWeek>
        </DaylightTime>
      </t:TimeZone>
      <MailboxDataArray>{mbx}
      </MailboxDataArray>
      <t:FreeBusyViewOptions>
        <t:TimeWindow>
          <t:StartTime>2026-11-25T00:00:00</t:StartTime>
          <t:EndTime>2026-11-26T23:59:59</t:EndTime>
        </t:TimeWindow>
        <t:MergedFreeBusyIntervalInMinutes>60</t:MergedFreeBusyIntervalInMinutes>
        <t:RequestedView>DetailedMerged</t:RequestedView>
      </t:FreeBusyViewOptions>
      <t:SuggestionsViewOptions>
        <t:GoodThreshold>49</t:GoodThreshold>
        <t:MaximumResultsByDay>2</t:MaximumResultsByDay>
        <t:MaximumNonWorkHourResultsByDay>0</t:MaximumNonWorkHourResultsByDay>
        <t:MeetingDurationInMinutes>60</t:MeetingDurationInMinutes>
        <t:MinimumSuggestionQuality>Good</t:MinimumSuggestionQuality>
        <t:DetailedSuggestionsWindow>
          <t:StartTime>2026-11-25T00:00:00</t:StartTime>
          <t:EndTime>2026-11-26T23:59:59</t:EndTime>
        </t:DetailedSuggestionsWindow>
      </t:SuggestionsViewOptions>
    </GetUserAvailabilityRequest>
  </soap:Body>
</soap:Envelope>
""".format(XSI=XSI, XSD=XSD, S=SOAP11, T=T, M=M, mbx=mbx).encode()


def sdk_response():
    """Two mailboxes (the first answered with only a Path, the second refused) and the suggestions."""
    return """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="{S}" xmlns:xsi="{XSI}" xmlns:xsd="{XSD}">
  <soap:Body>
    <GetUserAvailabilityResponse xmlns:xsi="{XSI}"
                                 xmlns:xsd="{XSD}">
      <FreeBusyResponseArray xmlns="{M}">
        <FreeBusyResponse>
          <ResponseMessage ResponseClass="Success">
            <Path select="/m:GetUserAvailabilityRequest/MailboxDataArray[0]" />
          </ResponseMessage>
          <FreeBusyView>
            <FreeBusyViewType xmlns="{T}">Detailed</FreeBusyViewType>
            <CalendarEventArray xmlns="{T}">
              <CalendarEvent>
                <StartTime>2026-11-25T09:00:00-08:00</StartTime>
                <EndTime>2026-11-25T10:30:00-08:00</EndTime>
                <BusyType>Busy</BusyType>
              </CalendarEvent>
            </CalendarEventArray>
          </FreeBusyView>
        </FreeBusyResponse>
        <FreeBusyResponse>
          <ResponseMessage ResponseClass="Error">
            <MessageText>Unable to resolve e-mail address &lt;&gt;SMTP:nobody@fabrikam.com to an Active Directory object.</MessageText>
            <ResponseCode>ErrorMailRecipientNotFound</ResponseCode>
            <DescriptiveLinkKey>0</DescriptiveLinkKey>
          </ResponseMessage>
        </FreeBusyResponse>
      </FreeBusyResponseArray>
      <SuggestionsResponse xmlns="{M}">
        <ResponseMessage ResponseClass="Success">
          <ResponseCode>NoError</ResponseCode>
        </ResponseMessage>
        <SuggestionDayResultArray>
          <SuggestionDayResult xmlns="{T}">
            <Date>2026-11-25T00:00:00</Date>
            <DayQuality>Excellent</DayQuality>
            <SuggestionArray>
              <Suggestion>
                <MeetingTime>2026-11-25T11:00:00</MeetingTime>
                <IsWorkTime>true</IsWorkTime>
                <SuggestionQuality>Excellent</SuggestionQuality>
                <AttendeeConflictDataArray>
                  <IndividualAttendeeConflictData>
                    <BusyType>Free</BusyType>
                  </IndividualAttendeeConflictData>
                  <UnknownAttendeeConflictData />
                </AttendeeConflictDataArray>
              </Suggestion>
            </SuggestionArray>
          </SuggestionDayResult>
        </SuggestionDayResultArray>
      </SuggestionsResponse>
    </GetUserAvailabilityResponse>
  </soap:Body>
</soap:Envelope>
""".format(S=SOAP11, XSI=XSI, XSD=XSD, M=M, T=T).encode()


def mac_suggestions_request(addr):
    """Only SuggestionsViewOptions, as Outlook for Mac asks for meeting times."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<SOAP-ENV:Envelope xmlns:SOAP-ENV="{S}" xmlns:typ="{T}" xmlns:mes="{M}">'
            '<SOAP-ENV:Header><typ:RequestServerVersion Version="Exchange2010_SP1"/></SOAP-ENV:Header>'
            '<SOAP-ENV:Body><mes:GetUserAvailabilityRequest>'
            '<typ:TimeZone><typ:Bias>0</typ:Bias><typ:StandardTime><typ:Bias>0</typ:Bias><typ:Time>02:00:00</typ:Time>'
            '<typ:DayOrder>5</typ:DayOrder><typ:Month>10</typ:Month><typ:DayOfWeek>Sunday</typ:DayOfWeek></typ:StandardTime>'
            '<typ:DaylightTime><typ:Bias>-60</typ:Bias><typ:Time>01:00:00</typ:Time><typ:DayOrder>5</typ:DayOrder>'
            '<typ:Month>3</typ:Month><typ:DayOfWeek>Sunday</typ:DayOfWeek></typ:DaylightTime></typ:TimeZone>'
            '<mes:MailboxDataArray><typ:MailboxData><typ:Email><typ:Address>{a}</typ:Address></typ:Email>'
            '<typ:AttendeeType>Required</typ:AttendeeType></typ:MailboxData></mes:MailboxDataArray>'
            '<typ:SuggestionsViewOptions><typ:MeetingDurationInMinutes>30</typ:MeetingDurationInMinutes>'
            '<typ:DetailedSuggestionsWindow><typ:StartTime>2026-11-25T00:00:00</typ:StartTime>'
            '<typ:EndTime>2026-11-26T00:00:00</typ:EndTime></typ:DetailedSuggestionsWindow></typ:SuggestionsViewOptions>'
            '</mes:GetUserAvailabilityRequest></SOAP-ENV:Body></SOAP-ENV:Envelope>').format(S=SOAP11, T=T, M=M, a=addr).encode()


def exchange_header():
    return ('<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" '
            'Version="V2017_07_11" xmlns:h="{T}" xmlns="{T}" xmlns:xsd="{XSD}" xmlns:xsi="{XSI}"/></s:Header>').format(T=T, XSD=XSD, XSI=XSI)


def mac_suggestions_response():
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}">{H}'
            '<s:Body xmlns:xsi="{XSI}" xmlns:xsd="{XSD}"><GetUserAvailabilityResponse xmlns="{M}">'
            '<SuggestionsResponse><ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>'
            '<SuggestionDayResultArray><SuggestionDayResult xmlns="{T}"><Date>2026-11-25T00:00:00</Date><DayQuality>Good</DayQuality>'
            '<SuggestionArray/></SuggestionDayResult></SuggestionDayResultArray></SuggestionsResponse>'
            '</GetUserAvailabilityResponse></s:Body></s:Envelope>').format(S=SOAP11, H=exchange_header(), XSI=XSI, XSD=XSD, M=M, T=T).encode()


def throttled_response(backoff_ms):
    """Exchange 2013/2016: one mailbox refused by the throttling budget, the other answered; CRLF line ends."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<s:Envelope xmlns:s="{S}">{H}<s:Body xmlns:xsi="{XSI}" xmlns:xsd="{XSD}">',
        '<GetUserAvailabilityResponse xmlns="{M}"><FreeBusyResponseArray>',
        '<FreeBusyResponse><ResponseMessage ResponseClass="Error"><MessageText>The server cannot service this request right now. '
        'Try again later.</MessageText><ResponseCode>ErrorServerBusy</ResponseCode><DescriptiveLinkKey>0</DescriptiveLinkKey>'
        '<MessageXml><t:Value Name="BackOffMilliseconds" xmlns:t="{T}">{ms}</t:Value></MessageXml></ResponseMessage>'
        '<FreeBusyView><FreeBusyViewType xmlns="{T}">None</FreeBusyViewType></FreeBusyView></FreeBusyResponse>',
        '<FreeBusyResponse><ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>'
        '<FreeBusyView><FreeBusyViewType xmlns="{T}">FreeBusy Merged</FreeBusyViewType>'
        '<MergedFreeBusy xmlns="{T}">000022220000000000000000</MergedFreeBusy></FreeBusyView></FreeBusyResponse>',
        '</FreeBusyResponseArray></GetUserAvailabilityResponse></s:Body></s:Envelope>',
    ]
    return "\r\n".join(lines).format(S=SOAP11, H=exchange_header(), XSI=XSI, XSD=XSD, M=M, T=T, ms=backoff_ms).encode()


def entity_response():
    """A DOCTYPE that declares a billion laughs, one use of it in a MessageText, and a Success after."""
    decl = "".join('<!ENTITY lol%d "%s">' % (k, "&lol%d;" % (k - 1) * 10) for k in range(1, 11))
    return ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n ' + decl + '\n]>\n'
            '<s:Envelope xmlns:s="{S}"><s:Body><m:GetUserAvailabilityResponse xmlns:m="{M}" xmlns:t="{T}">'
            '<m:FreeBusyResponseArray><m:FreeBusyResponse><m:ResponseMessage ResponseClass="Warning">'
            '<m:MessageText>&lol10;</m:MessageText><m:ResponseCode>ErrorFreeBusyGenerationFailed</m:ResponseCode>'
            '</m:ResponseMessage></m:FreeBusyResponse><m:FreeBusyResponse><m:ResponseMessage ResponseClass="Success">'
            '<m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage><m:FreeBusyView>'
            '<t:FreeBusyViewType>MergedOnly</t:FreeBusyViewType><t:MergedFreeBusy>0000</t:MergedFreeBusy></m:FreeBusyView>'
            '</m:FreeBusyResponse></m:FreeBusyResponseArray></m:GetUserAvailabilityResponse></s:Body></s:Envelope>'
            ).format(S=SOAP11, M=M, T=T).encode()

"""EWS availability bodies as the different senders write them: Outlook / EWS Managed API
(m:/t: prefixes), Exchange's own proxy client (exm:/ext: on the Envelope), SOAP 1.2 with
default namespaces. Shapes follow Messages.xsd/Types.xsd and docs/protocol-notes.md."""

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
E = "http://schemas.microsoft.com/exchange/services/2006/errors"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
XENC = "http://www.w3.org/2001/04/xmlenc#"
GUA_ACTION = M + "/GetUserAvailability"

TZ_PACIFIC = """<t:TimeZone><t:Bias>480</t:Bias><t:StandardTime><t:Bias>0</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>11</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>2</t:DayOrder><t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>"""


def mailbox(addr, name=None, attendee="Required", exclude=None, p="t"):
    s = "<{p}:MailboxData><{p}:Email>".format(p=p)
    if name:
        s += "<{p}:Name>{n}</{p}:Name>".format(p=p, n=name)
    s += "<{p}:Address>{a}</{p}:Address><{p}:RoutingType>SMTP</{p}:RoutingType></{p}:Email>".format(p=p, a=addr)
    s += "<{p}:AttendeeType>{a}</{p}:AttendeeType>".format(p=p, a=attendee)
    if exclude is not None:
        s += "<{p}:ExcludeConflicts>{e}</{p}:ExcludeConflicts>".format(p=p, e="true" if exclude else "false")
    return s + "</{p}:MailboxData>".format(p=p)


def client_request(mailboxes, view="Detailed", start="2026-11-25T00:00:00", end="2026-11-26T00:00:00",
                   interval=60, rsv="Exchange2013", suggestions=False, extra_headers=""):
    """As Outlook / the EWS Managed API write it."""
    mbx = "".join(mailbox(*m) if isinstance(m, tuple) else mailbox(m) for m in mailboxes)
    sugg = ""
    if suggestions:
        sugg = ("<t:SuggestionsViewOptions><t:GoodThreshold>25</t:GoodThreshold><t:MaximumResultsByDay>2</t:MaximumResultsByDay>"
                "<t:MaximumNonWorkHourResultsByDay>0</t:MaximumNonWorkHourResultsByDay><t:MeetingDurationInMinutes>60</t:MeetingDurationInMinutes>"
                "<t:MinimumSuggestionQuality>Good</t:MinimumSuggestionQuality><t:DetailedSuggestionsWindow>"
                "<t:StartTime>{s}</t:StartTime><t:EndTime>{e}</t:EndTime></t:DetailedSuggestionsWindow></t:SuggestionsViewOptions>").format(s=start, e=end)
    return ("""<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="{M}" xmlns:t="{T}" xmlns:soap="{S}">
  <soap:Header>
    <t:RequestServerVersion Version="{rsv}" />{extra}
  </soap:Header>
  <soap:Body>
    <m:GetUserAvailabilityRequest>
      {tz}
      <m:MailboxDataArray>{mbx}</m:MailboxDataArray>
      <t:FreeBusyViewOptions>
        <t:TimeWindow><t:StartTime>{start}</t:StartTime><t:EndTime>{end}</t:EndTime></t:TimeWindow>
        <t:MergedFreeBusyIntervalInMinutes>{iv}</t:MergedFreeBusyIntervalInMinutes>
        <t:RequestedView>{view}</t:RequestedView>
      </t:FreeBusyViewOptions>{sugg}
    </m:GetUserAvailabilityRequest>
  </soap:Body>
</soap:Envelope>""".format(M=M, T=T, S=SOAP11, rsv=rsv, extra=extra_headers, tz=TZ_PACIFIC, mbx=mbx, start=start,
                           end=end, iv=interval, view=view, sugg=sugg)).encode()


def proxy_request(mailboxes, request_type="CrossSite", rsv="Exchange2012", message_id="urn:uuid:6389558d-9e05-465e-ade9-aae14c4bcd10",
                  ssc_sids=("S-1-5-21-1004336348-1177238915-682003330-1107",), group_sids=(("S-1-5-21-1004336348-1177238915-682003330-513", 7),),
                  federated=False, sharing=False, wsa_to=None, view="DetailedMerged", start="2026-11-25T00:00:00",
                  end="2026-11-26T00:00:00", interval=30):
    """As Exchange's availability proxy writes it: exm/ext declared on the Envelope."""
    hdr = '<ext:TimeZoneContext><ext:TimeZoneDefinition Id="Pacific Standard Time" /></ext:TimeZoneContext>'
    if rsv:
        hdr += '<ext:RequestServerVersion Version="%s" />' % rsv
    if request_type:
        hdr += '<RequestTypeHeader xmlns="%s"><RequestType xmlns="%s">%s</RequestType></RequestTypeHeader>' % (M, T, request_type)
    hdr += '<a:MessageID xmlns:a="%s">%s</a:MessageID>' % (WSA, message_id)
    if ssc_sids:
        groups = "".join('<GroupIdentifier Attributes="%d"><SecurityIdentifier xmlns="%s">%s</SecurityIdentifier></GroupIdentifier>' % (a, T, s)
                         for s, a in group_sids)
        hdr += '<SerializedSecurityContext xmlns="%s"><UserSid>%s</UserSid><GroupSids>%s</GroupSids></SerializedSecurityContext>' % (M, ssc_sids[0], groups)
    if sharing:
        hdr += ('<ext:SharingSecurity><de:EncryptedData Type="http://www.w3.org/2001/04/xmlenc#Element" xmlns:de="%s">'
                '<de:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#tripledes-cbc" />'
                '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyName>key</ds:KeyName></ds:KeyInfo>'
                '<de:CipherData><de:CipherValue>q3JpTLVNQzCVx1m9S9gLk0A1yE0oX2xgk3uJY5M+9w0=</de:CipherValue></de:CipherData>'
                '</de:EncryptedData></ext:SharingSecurity>') % XENC
    if federated:
        hdr += ('<a:Action s:mustUnderstand="1" xmlns:a="%s">%s</a:Action><a:To s:mustUnderstand="1" xmlns:a="%s">%s</a:To>'
                '<a:ReplyTo xmlns:a="%s"><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>'
                '<o:Security s:mustUnderstand="1" xmlns:o="%s"><de:EncryptedData Type="http://www.w3.org/2001/04/xmlenc#Element" xmlns:de="%s">'
                '<de:CipherData><de:CipherValue>bm90IGEgcmVhbCB0b2tlbg==</de:CipherValue></de:CipherData></de:EncryptedData></o:Security>') % (
                    WSA, GUA_ACTION, WSA, wsa_to or "https://mail.fabrikam.com/ews/exchange.asmx/WSSecurity", WSA, WSSE, XENC)
    mbx = "".join('<ext:MailboxData><ext:Email><ext:Name>%s</ext:Name><ext:Address>%s</ext:Address><ext:RoutingType>SMTP</ext:RoutingType></ext:Email>'
                  '<ext:AttendeeType>Required</ext:AttendeeType><ext:ExcludeConflicts>false</ext:ExcludeConflicts></ext:MailboxData>'
                  % (a.split("@")[0].upper(), a) for a in mailboxes)
    tz = TZ_PACIFIC.replace("t:", "ext:")
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s" xmlns:exm="%s" xmlns:ext="%s">'
            '<s:Header>%s</s:Header><s:Body><exm:GetUserAvailabilityRequest>%s<exm:MailboxDataArray>%s</exm:MailboxDataArray>'
            '<ext:FreeBusyViewOptions><ext:TimeWindow><ext:StartTime>%s</ext:StartTime><ext:EndTime>%s</ext:EndTime></ext:TimeWindow>'
            '<ext:MergedFreeBusyIntervalInMinutes>%d</ext:MergedFreeBusyIntervalInMinutes><ext:RequestedView>%s</ext:RequestedView>'
            '</ext:FreeBusyViewOptions></exm:GetUserAvailabilityRequest></s:Body></s:Envelope>'
            % (SOAP11, M, T, hdr, tz, mbx, start, end, interval, view)).encode()


def fb_success(merged="000022220000", events=(), view="DetailedMerged", working_hours=True):
    ev = ""
    for (s, e, busy, subj, loc) in events:
        ev += ("<CalendarEvent><StartTime>%s</StartTime><EndTime>%s</EndTime><BusyType>%s</BusyType>" % (s, e, busy))
        if subj is not None:
            ev += ("<CalendarEventDetails><ID>0000000074B3AE5D</ID><Subject>%s</Subject><Location>%s</Location><IsMeeting>true</IsMeeting>"
                   "<IsRecurring>false</IsRecurring><IsException>false</IsException><IsReminderSet>true</IsReminderSet>"
                   "<IsPrivate>false</IsPrivate></CalendarEventDetails>" % (subj, loc))
        ev += "</CalendarEvent>"
    wh = ""
    if working_hours:
        wh = ("<WorkingHours><TimeZone><Bias>480</Bias><StandardTime><Bias>0</Bias><Time>02:00:00</Time><DayOrder>1</DayOrder><Month>11</Month>"
              "<DayOfWeek>Sunday</DayOfWeek></StandardTime><DaylightTime><Bias>-60</Bias><Time>02:00:00</Time><DayOrder>2</DayOrder><Month>3</Month>"
              "<DayOfWeek>Sunday</DayOfWeek></DaylightTime></TimeZone><WorkingPeriodArray><WorkingPeriod><DayOfWeek>Monday Tuesday Wednesday Thursday Friday</DayOfWeek>"
              "<StartTimeInMinutes>480</StartTimeInMinutes><EndTimeInMinutes>1020</EndTimeInMinutes></WorkingPeriod></WorkingPeriodArray></WorkingHours>")
    return ('<FreeBusyResponse><ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>'
            '<FreeBusyView><FreeBusyViewType xmlns="%s">%s</FreeBusyViewType><MergedFreeBusy xmlns="%s">%s</MergedFreeBusy>'
            '<CalendarEventArray xmlns="%s">%s</CalendarEventArray>%s</FreeBusyView></FreeBusyResponse>'
            % (T, view, T, merged, T, ev, wh.replace("<WorkingHours>", '<WorkingHours xmlns="%s">' % T)))


PROXY_FAILED_TEXT = ("Proxy web request failed. , inner exception: System.Net.WebException: The underlying connection was closed: "
                     "An unexpected error occurred on a receive. ---> System.IO.IOException: Unable to read data from the transport "
                     "connection: An existing connection was forcibly closed by the remote host. ---> System.Net.Sockets.SocketException: "
                     "An existing connection was forcibly closed by the remote host\r\n   at System.Net.Sockets.Socket.Receive(Byte[] buffer, "
                     "Int32 offset, Int32 size, SocketFlags socketFlags)\r\n   at System.Net.Sockets.NetworkStream.Read(Byte[] buffer, Int32 offset, Int32 size)")


def fb_error(code="ErrorProxyRequestProcessingFailed", text=PROXY_FAILED_TEXT, exc_type="ProxyWebRequestProcessingException",
             exc_code=5016, server="EXA01", response_source="https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity"):
    xml = ('<ExceptionType xmlns="%s">%s</ExceptionType><ExceptionCode xmlns="%s">%d</ExceptionCode>'
           '<ExceptionServerName xmlns="%s">%s</ExceptionServerName>' % (E, exc_type, E, exc_code, E, server))
    if response_source:
        xml += '<ResponseSource xmlns="%s">%s</ResponseSource>' % (E, response_source)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ('<FreeBusyResponse><ResponseMessage ResponseClass="Error"><MessageText>%s</MessageText><ResponseCode>%s</ResponseCode>'
            '<DescriptiveLinkKey>0</DescriptiveLinkKey><MessageXml>%s</MessageXml></ResponseMessage>'
            '<FreeBusyView><FreeBusyViewType xmlns="%s">None</FreeBusyViewType></FreeBusyView></FreeBusyResponse>' % (text, code, xml, T))


def response(fb_items, suggestions=False, svi='MajorVersion="15" MinorVersion="2" MajorBuildNumber="1118" MinorBuildNumber="40" Version="V2017_07_11"'):
    sugg = ""
    if suggestions:
        sugg = ('<SuggestionsResponse><ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>'
                '<SuggestionDayResultArray><SuggestionDayResult xmlns="%s"><Date>2026-11-25T00:00:00</Date><DayQuality>Good</DayQuality>'
                '<SuggestionArray><Suggestion><MeetingTime>2026-11-25T14:00:00</MeetingTime><IsWorkTime>true</IsWorkTime>'
                '<SuggestionQuality>Excellent</SuggestionQuality><AttendeeConflictDataArray><IndividualAttendeeConflictData>'
                '<BusyType>Free</BusyType></IndividualAttendeeConflictData><GroupAttendeeConflictData><NumberOfMembers>4</NumberOfMembers>'
                '<NumberOfMembersAvailable>3</NumberOfMembersAvailable><NumberOfMembersWithConflict>1</NumberOfMembersWithConflict>'
                '<NumberOfMembersWithNoData>0</NumberOfMembersWithNoData></GroupAttendeeConflictData></AttendeeConflictDataArray>'
                '</Suggestion></SuggestionArray></SuggestionDayResult></SuggestionDayResultArray></SuggestionsResponse>' % T)
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s"><s:Header><h:ServerVersionInfo %s '
            'xmlns:h="%s" xmlns="%s" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" />'
            '</s:Header><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            '<GetUserAvailabilityResponse xmlns="%s"><FreeBusyResponseArray>%s</FreeBusyResponseArray>%s</GetUserAvailabilityResponse>'
            '</s:Body></s:Envelope>' % (SOAP11, svi, T, T, M, "".join(fb_items), sugg)).encode()


def soap12_request(mailboxes, rsv="Exchange2010_SP2"):
    """SOAP 1.2, default namespaces only, no prefixes on EWS elements."""
    mbx = "".join('<MailboxData xmlns="%s"><Email><Address>%s</Address></Email><AttendeeType>Optional</AttendeeType></MailboxData>' % (T, a)
                  for a in mailboxes)
    return ('<env:Envelope xmlns:env="%s"><env:Header><RequestServerVersion xmlns="%s" Version="%s"/></env:Header><env:Body>'
            '<GetUserAvailabilityRequest xmlns="%s"><MailboxDataArray>%s</MailboxDataArray><FreeBusyViewOptions xmlns="%s">'
            '<TimeWindow><StartTime>2026-11-25T08:00:00Z</StartTime><EndTime>2026-11-25T12:00:00Z</EndTime></TimeWindow>'
            '<MergedFreeBusyIntervalInMinutes>30</MergedFreeBusyIntervalInMinutes><RequestedView>MergedOnly</RequestedView>'
            '</FreeBusyViewOptions></GetUserAvailabilityRequest></env:Body></env:Envelope>' % (SOAP12, T, rsv, M, mbx, T)).encode()


def soap12_response(merged):
    return ('<env:Envelope xmlns:env="%s"><env:Body><m:GetUserAvailabilityResponse xmlns:m="%s" xmlns:t="%s"><m:FreeBusyResponseArray>'
            '<m:FreeBusyResponse><m:ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:ResponseMessage>'
            '<m:FreeBusyView><t:FreeBusyViewType>MergedOnly</t:FreeBusyViewType><t:MergedFreeBusy>%s</t:MergedFreeBusy></m:FreeBusyView>'
            '</m:FreeBusyResponse></m:FreeBusyResponseArray></m:GetUserAvailabilityResponse></env:Body></env:Envelope>' % (SOAP12, M, T, merged)).encode()


def fault_server_busy():
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s"><s:Body><s:Fault>'
            '<faultcode xmlns:a="%s">a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>'
            '<detail><e:ResponseCode xmlns:e="%s">ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="%s">The server cannot service this request right now. Try again later.</e:Message>'
            '<e:MessageXml xmlns:e="%s"><t:Value Name="BackOffMilliseconds" xmlns:t="%s">297749</t:Value></e:MessageXml></detail>'
            '</s:Fault></s:Body></s:Envelope>' % (SOAP11, T, E, E, E, T)).encode()


# ---- Outlook on the web (JSON) -------------------------------------------------------------
import json as _json


def owa_request(mailboxes, view="DetailedMerged", start="2026-11-25T00:00:00.000", end="2026-11-26T00:00:00.000", interval=30):
    return _json.dumps({"request": {
        "__type": "GetUserAvailabilityInternalJsonRequest:#Exchange",
        "Header": {"__type": "JsonRequestHeaders:#Exchange", "RequestServerVersion": "V2018_01_08",
                   "TimeZoneContext": {"__type": "TimeZoneContext:#Exchange",
                                       "TimeZoneDefinition": {"__type": "TimeZoneDefinitionType:#Exchange", "Id": "Pacific Standard Time"}}},
        "Body": {"__type": "GetUserAvailabilityRequest:#Exchange",
                 "MailboxDataArray": [{"__type": "MailboxData:#Exchange", "Email": {"__type": "EmailAddress:#Exchange", "Address": m},
                                       "AttendeeType": "Required"} for m in mailboxes],
                 "FreeBusyViewOptions": {"__type": "FreeBusyViewOptions:#Exchange",
                                         "TimeWindow": {"__type": "Duration:#Exchange", "StartTime": start, "EndTime": end},
                                         "MergedFreeBusyIntervalInMinutes": interval, "RequestedView": view}}}},
        separators=(",", ":")).encode()


OWA_MESSAGE_XML = ('<ExceptionType xmlns="%s">ProxyWebRequestProcessingException</ExceptionType>'
                   '<ExceptionCode xmlns="%s">5016</ExceptionCode><ExceptionServerName xmlns="%s">EXA01</ExceptionServerName>'
                   '<ResponseSource xmlns="%s">https://mail.fabrikam.com/EWS/Exchange.asmx/WSSecurity</ResponseSource>' % (E, E, E, E))


def owa_response(results):
    """results: list of ("error", text) or ("ok", merged, items)."""
    responses = []
    for r in results:
        if r[0] == "error":
            responses.append({"ResponseMessage": {"MessageText": r[1], "ResponseCode": "ErrorProxyRequestProcessingFailed",
                                                  "MessageXml": OWA_MESSAGE_XML, "ResponseClass": "Error"},
                              "CalendarView": {"FreeBusyViewType": "None"}})
        else:
            responses.append({"ResponseMessage": {"ResponseCode": "NoError", "ResponseClass": "Success"},
                              "CalendarView": {"FreeBusyViewType": "DetailedMerged", "MergedFreeBusy": r[1],
                                               "Items": [{"__type": "CalendarItem:#Exchange", "Start": s, "End": e, "FreeBusyType": b,
                                                          "Subject": subj, "EnhancedLocation": {"DisplayName": loc}, "IsMeeting": True,
                                                          "ReminderIsSet": False} for (s, e, b, subj, loc) in r[2]],
                                               "WorkingHours": {"WorkingPeriodArray": [{"DayOfWeek": ["Monday", "Tuesday", "Wednesday"],
                                                                                         "StartTimeInMinutes": 480, "EndTimeInMinutes": 1020}]}}})
    return _json.dumps({"Header": {"ServerVersionInfo": {"MajorVersion": 15, "MinorVersion": 2, "MajorBuildNumber": 1118,
                                                         "MinorBuildNumber": 40, "Version": "V2018_01_08"}},
                        "Body": {"__type": "GetUserAvailabilityInternalResponse:#Exchange", "ResponseClass": "Success",
                                 "ResponseCode": "NoError", "Responses": responses}}, separators=(",", ":")).encode()


# ---- Autodiscover and the federation gateway -----------------------------------------------
ADR = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
ADO = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
ADA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
ADS = "http://schemas.microsoft.com/exchange/2010/Autodiscover"


def pox_request(addr):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Request><EMailAddress>%s</EMailAddress>'
            '<AcceptableResponseSchema>%s</AcceptableResponseSchema></Request></Autodiscover>' % (ADR, addr, ADA)).encode()


def pox_settings(name, asurl):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response xmlns="%s"><User><DisplayName>%s</DisplayName>'
            '<LegacyDN>/o=Tailspin/ou=Exchange Administrative Group/cn=Recipients/cn=%s</LegacyDN><DeploymentId>5f7e0e9c-0c0b-4c39-9a0f-2b6c6d6b1e01</DeploymentId>'
            '<AutoDiscoverSMTPAddress>%s</AutoDiscoverSMTPAddress></User><Account><AccountType>email</AccountType><Action>settings</Action>'
            '<Protocol><Type>EXCH</Type><Server>ex01.tailspin.com</Server><ServerVersion>73C18880</ServerVersion><ASUrl>%s</ASUrl>'
            '<EwsUrl>%s</EwsUrl><OOFUrl>%s</OOFUrl></Protocol><Protocol><Type>EXPR</Type><Server>mail.tailspin.com</Server>'
            '<ASUrl>%s</ASUrl></Protocol></Account></Response></Autodiscover>' % (ADO, ADA, name, name, name, asurl, asurl, asurl, asurl)).encode()


def pox_redirect(addr):
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response xmlns="%s"><Account><Action>redirectAddr</Action>'
            '<RedirectAddr>%s</RedirectAddr></Account></Response></Autodiscover>' % (ADO, ADA, addr)).encode()


def pox_error():
    return ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="%s"><Response><Error Time="08:41:12.1234567" Id="2477582526">'
            '<ErrorCode>600</ErrorCode><Message>Invalid Request</Message><DebugData /></Error></Response></Autodiscover>' % ADO).encode()


def soap_ad(body, to, action):
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s" xmlns:a="%s" xmlns:o="%s"><s:Header>'
            '<a:Action s:mustUnderstand="1">%s</a:Action><a:To s:mustUnderstand="1">%s</a:To>'
            '<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>'
            '<o:Security s:mustUnderstand="1"><de:EncryptedData xmlns:de="%s"/></o:Security></s:Header><s:Body>%s</s:Body></s:Envelope>'
            % (SOAP11, WSA, WSSE, action, to, XENC, body)).encode()


def get_user_settings_request(addr):
    return soap_ad('<GetUserSettingsRequestMessage xmlns="%s"><Request><Users><User><Mailbox>%s</Mailbox></User></Users>'
                   '<RequestedSettings><Setting>ExternalEwsUrl</Setting><Setting>ExternalEwsVersion</Setting>'
                   '<Setting>InteropExternalEwsUrl</Setting></RequestedSettings><RequestedVersion>Exchange2013</RequestedVersion></Request>'
                   '</GetUserSettingsRequestMessage>' % (ADS, addr),
                   "https://autodiscover.fabrikam.com/autodiscover/autodiscover.svc/WSSecurity",
                   "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings")


def get_user_settings_response(url):
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s"><s:Body><GetUserSettingsResponseMessage xmlns="%s">'
            '<Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>NoError</ErrorCode><ErrorMessage /><UserResponses>'
            '<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true" />'
            '<UserSettingErrors><UserSettingError><ErrorCode>SettingIsNotAvailable</ErrorCode><ErrorMessage>User setting \'InteropExternalEwsUrl\' is not available.</ErrorMessage>'
            '<SettingName>InteropExternalEwsUrl</SettingName></UserSettingError></UserSettingErrors><UserSettings>'
            '<UserSetting i:type="StringSetting"><Name>ExternalEwsUrl</Name><Value>%s</Value></UserSetting>'
            '<UserSetting i:type="StringSetting"><Name>ExternalEwsVersion</Name><Value>15.02.1118.000</Value></UserSetting>'
            '</UserSettings></UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>'
            % (SOAP11, ADS, url)).encode()


def federation_info_response():
    return ('<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="%s"><s:Body><GetFederationInformationResponseMessage xmlns="%s">'
            '<Response><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><ApplicationUri>FYDIBOHF25SPDLT.fabrikam.com</ApplicationUri>'
            '<Domains><Domain>fabrikam.com</Domain></Domains><TokenIssuers><TokenIssuer><Uri>urn:federation:MicrosoftOnline</Uri>'
            '<Endpoint>https://login.microsoftonline.com/extSTS.srf</Endpoint></TokenIssuer></TokenIssuers></Response>'
            '</GetFederationInformationResponseMessage></s:Body></s:Envelope>' % (SOAP11, ADS)).encode()


def wstrust_rst(applies_to):
    return ('<s:Envelope xmlns:s="%s" xmlns:a="%s"><s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue</a:Action>'
            '</s:Header><s:Body><t:RequestSecurityToken xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">'
            '<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"><a:EndpointReference><a:Address>%s</a:Address>'
            '</a:EndpointReference></wsp:AppliesTo><t:TokenType>http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1</t:TokenType>'
            '<t:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</t:RequestType><t:KeyType>http://schemas.xmlsoap.org/ws/2005/02/trust/SymmetricKey</t:KeyType>'
            '<t:Claims Dialect="http://schemas.xmlsoap.org/ws/2005/05/identity"><i:ClaimType xmlns:i="http://schemas.xmlsoap.org/ws/2005/05/identity" '
            'Uri="http://schemas.microsoft.com/exchange/2010/offers/MSExchange.SharingCalendarFreeBusy"/></t:Claims>'
            '</t:RequestSecurityToken></s:Body></s:Envelope>' % (SOAP12, WSA, applies_to)).encode()

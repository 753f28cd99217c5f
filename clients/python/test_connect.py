"""boto3 against a real connectlocal process: every implemented operation, and the
failure paths where clients differ (typed errors and their modelled members,
timestamps, union members, ARNs in the path, auth errors). Mirrors
e2e/foundation_test.go, contacts_test.go, files_test.go, rules_test.go and
analytics_test.go.

Run: python3 -m unittest -v test_connect   (from clients/python)
"""

import datetime
import re
import time
import unittest
import urllib.error
import urllib.request

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

from connectlocal_server import OTHER_KEY, OTHER_SECRET, Results, Server, not_recorded

MINIMAL_FLOW = (
    '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a",'
    '"Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
)
ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
# An email with one value of each kind of PII the analysis redacts (e2e/analytics_test.go).
PII_EMAIL = """<html><body><p>Dear support,</p>
<p>My name is Maria Garcia and my card <b>4111 1111 1111 1111</b> was charged twice. Please refund me.</p>
<p>Call me at (415) 555-0142 or write to <a href="mailto:maria.garcia@example.com">maria.garcia@example.com</a>.</p>
<p>My SSN is 123-45-6789.</p></body></html>"""
# A rule function on OnEmailAnalysisAvailable that no email of the suite matches, so the
# rules the tests publish never fire.
NEVER_MATCHES = (
    '{"Version":"2022-11-25","RuleFunction":{"Operator":"OR","Operands":[{"Operator":"CONTAINS_ANY",'
    '"Operands":["py-no-such-word"],"ComparisonValue":"$.ContactLens.Email.ExactMatch.Text","Negate":false}]}}'
)
INBOUND_EMAIL = (
    '{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY",'
    '"Operands":["INBOUND"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}'
)

results = Results("python")
server = None
default_client = None


def setUpModule():
    global server, default_client
    print(f"boto3 {boto3.__version__}, botocore {botocore.__version__}")
    server = Server()
    default_client = client()


def tearDownModule():
    results.write()
    default_client.close()
    server.stop(keep_log=results.failed_tests > 0)


def client(key="test", secret="test"):
    """A Connect client for the server. One attempt: botocore would otherwise retry
    some errors (5xx such as the 501 of an unimplemented operation)."""
    c = boto3.client(
        "connect", endpoint_url=server.url, region_name="us-east-1",
        aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    c.meta.events.register("provide-client-params.connect", lambda model, **_: results.called(model.name))
    return c


class ConnectTest(results.test_case()):
    maxDiff = None

    def setUp(self):
        self.c = default_client
        self.d = server.defaults
        self.inst = self.d["InstanceId"]

    def client(self, key, secret):
        """A client with other keys, closed at the end of the test."""
        c = client(key, secret)
        self.addCleanup(c.close)
        return c

    def assertRaisesError(self, error, call, *fragments, **params):
        """Calls call(**params), which must raise error — a modelled exception class of
        the client, or the code of an error the model has no class for — with a message
        containing each fragment. Returns the ClientError."""
        expected = ClientError if isinstance(error, str) else error
        with self.assertRaises(expected) as caught:
            call(**params)
        e = caught.exception
        code = error if isinstance(error, str) else error.__name__
        self.assertEqual(e.response["Error"]["Code"], code)
        message = e.response["Error"].get("Message", "")
        for f in fragments:
            self.assertIn(f, message)
        return e

    def assertRecent(self, value):
        self.assertIsInstance(value, datetime.datetime)
        self.assertIsNotNone(value.tzinfo)
        age = datetime.datetime.now(datetime.timezone.utc) - value
        self.assertLess(abs(age.total_seconds()), 600, value)

    def test_default_instance(self):
        """DescribeInstance: the default instance, CreatedTime as a datetime."""
        inst = self.c.describe_instance(InstanceId=self.inst)["Instance"]
        self.assertEqual(inst["InstanceAlias"], "connectlocal")
        self.assertEqual(inst["InstanceStatus"], "ACTIVE")
        self.assertEqual(inst["Arn"], f"arn:aws:connect:us-east-1:000000000000:instance/{self.inst}")
        self.assertEqual(inst["Arn"], self.d["InstanceArn"])
        self.assertRecent(inst["CreatedTime"])

    def test_instance_life_cycle(self):
        """CreateInstance, DescribeInstance by ARN, its defaults, DeleteInstance."""
        created = self.c.create_instance(
            IdentityManagementType="CONNECT_MANAGED", InstanceAlias="py-lifecycle",
            InboundCallsEnabled=True, OutboundCallsEnabled=False, Tags={"team": "a"},
        )
        inst = self.c.describe_instance(InstanceId=created["Arn"])["Instance"]
        self.assertEqual(inst["Id"], created["Id"])
        self.assertIs(inst["OutboundCallsEnabled"], False)
        self.assertEqual(inst["Tags"], {"team": "a"})
        self.assertRecent(inst["CreatedTime"])
        queues = self.c.list_queues(InstanceId=created["Id"])["QueueSummaryList"]
        self.assertEqual([q["Name"] for q in queues], ["BasicQueue"])
        emails = self.c.search_email_addresses(InstanceId=created["Id"])["EmailAddresses"]
        self.assertEqual([e["EmailAddress"] for e in emails], ["support@py-lifecycle.email.connect.aws"])
        self.c.delete_instance(InstanceId=created["Id"])
        self.assertRaisesError(self.c.exceptions.ResourceNotFoundException, self.c.describe_instance, created["Id"],
                               InstanceId=created["Id"])

    def test_list_instances_paginates(self):
        """ListInstances: MaxResults 1 follows NextToken, and the list_instances paginator."""
        for alias in ("py-page-1", "py-page-2"):
            self.c.create_instance(IdentityManagementType="CONNECT_MANAGED", InstanceAlias=alias,
                                   InboundCallsEnabled=True, OutboundCallsEnabled=True)
        by_hand, params, pages = [], {"MaxResults": 1}, 0
        while True:
            page = self.c.list_instances(**params)
            self.assertLessEqual(len(page["InstanceSummaryList"]), 1)
            by_hand += [s["InstanceAlias"] for s in page["InstanceSummaryList"]]
            pages += 1
            self.assertLess(pages, 50, "NextToken never ends")
            if not page.get("NextToken"):
                break
            params["NextToken"] = page["NextToken"]
        self.assertGreaterEqual(pages, 3, by_hand)
        paginated = []
        for page in self.c.get_paginator("list_instances").paginate(PaginationConfig={"PageSize": 1}):
            self.assertLessEqual(len(page["InstanceSummaryList"]), 1)
            paginated += [s["InstanceAlias"] for s in page["InstanceSummaryList"]]
        self.assertEqual(paginated, by_hand)
        self.assertEqual(len(set(by_hand)), len(by_hand), by_hand)
        order = [by_hand.index(a) for a in ("connectlocal", "py-page-1", "py-page-2")]
        self.assertEqual(order, sorted(order), by_hand)

    def test_bad_alias_is_invalid_request(self):
        """CreateInstance: a bad alias is InvalidRequestException."""
        self.assertRaisesError(
            self.c.exceptions.InvalidRequestException, self.c.create_instance,
            "1 validation error detected", "at 'instanceAlias'", "regular expression pattern",
            IdentityManagementType="CONNECT_MANAGED", InstanceAlias="not allowed!",
            InboundCallsEnabled=True, OutboundCallsEnabled=True,
        )

    def test_contact_flows(self):
        """CreateContactFlow, DescribeContactFlow, ListContactFlows."""
        created = self.c.create_contact_flow(InstanceId=self.inst, Name="Py Main", Type="CONTACT_FLOW",
                                             Content=MINIMAL_FLOW, Tags={"k": "v"})
        self.assertEqual(len(created["FlowContentSha256"]), 64)
        f = self.c.describe_contact_flow(InstanceId=self.inst, ContactFlowId=created["ContactFlowId"])["ContactFlow"]
        self.assertEqual(f["Arn"], created["ContactFlowArn"])
        self.assertEqual(f["Content"], MINIMAL_FLOW)
        self.assertEqual((f["Status"], f["State"]), ("PUBLISHED", "ACTIVE"))
        self.assertEqual(f["Tags"], {"k": "v"})
        self.assertRecent(f["LastModifiedTime"])
        flows = self.c.list_contact_flows(InstanceId=self.inst, ContactFlowTypes=["CONTACT_FLOW"])["ContactFlowSummaryList"]
        names = [s["Name"] for s in flows]
        self.assertIn("Default inbound flow", names)
        self.assertIn("Py Main", names)
        self.assertEqual({s["ContactFlowType"] for s in flows}, {"CONTACT_FLOW"})
        self.assertEqual(next(s["Id"] for s in flows if s["Name"] == "Default inbound flow"), self.d["ContactFlowId"])

    def test_saved_flow_is_not_published(self):
        """DescribeContactFlow: a SAVED flow is ContactFlowNotPublishedException, and found as <id>:$SAVED."""
        saved = self.c.create_contact_flow(InstanceId=self.inst, Name="Py Draft", Type="CONTACT_FLOW", Content=MINIMAL_FLOW, Status="SAVED")
        self.assertRaisesError(self.c.exceptions.ContactFlowNotPublishedException, self.c.describe_contact_flow,
                               InstanceId=self.inst, ContactFlowId=saved["ContactFlowId"])
        f = self.c.describe_contact_flow(InstanceId=self.inst, ContactFlowId=saved["ContactFlowId"] + ":$SAVED")["ContactFlow"]
        self.assertEqual((f["Name"], f["Status"]), ("Py Draft", "SAVED"))

    def test_unknown_flow_type_is_invalid_parameter(self):
        """CreateContactFlow: an unknown Type is InvalidParameterException."""
        self.assertRaisesError(
            self.c.exceptions.InvalidParameterException, self.c.create_contact_flow, "at 'type'", "enum value set",
            InstanceId=self.inst, Name="x", Type="NOT_A_TYPE", Content=MINIMAL_FLOW,
        )

    def test_content_that_is_no_flow_is_invalid_contact_flow(self):
        """CreateContactFlow: content that is no flow is InvalidContactFlowException with problems."""
        e = self.assertRaisesError(
            self.c.exceptions.InvalidContactFlowException, self.c.create_contact_flow,
            InstanceId=self.inst, Name="bad", Type="CONTACT_FLOW", Content="not json",
        )
        problems = e.response.get("problems")
        self.assertTrue(problems, e.response)
        self.assertTrue(problems[0].get("message"), problems)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_hours_of_operation(self):
        """CreateHoursOfOperation, DescribeHoursOfOperation, ListHoursOfOperations."""
        created = self.c.create_hours_of_operation(
            InstanceId=self.inst, Name="Py Office", TimeZone="Europe/Paris",
            Config=[{"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 30}}],
        )
        h = self.c.describe_hours_of_operation(InstanceId=self.inst, HoursOfOperationId=created["HoursOfOperationId"])["HoursOfOperation"]
        self.assertEqual((h["Name"], h["TimeZone"]), ("Py Office", "Europe/Paris"))
        self.assertEqual(h["Config"][0]["EndTime"]["Minutes"], 30)
        names = [s["Name"] for s in self.c.list_hours_of_operations(InstanceId=self.inst)["HoursOfOperationSummaryList"]]
        self.assertIn("Basic Hours", names)
        self.assertIn("Py Office", names)
        basic = self.c.describe_hours_of_operation(InstanceId=self.inst, HoursOfOperationId=self.d["HoursOfOperationId"])["HoursOfOperation"]
        self.assertEqual(basic["Name"], "Basic Hours")
        self.assertEqual(len(basic["Config"]), 7)

    def test_queues(self):
        """CreateQueue, DescribeQueue, ListQueues; the same name twice is DuplicateResourceException."""
        created = self.c.create_queue(InstanceId=self.inst, Name="Py Sales", HoursOfOperationId=self.d["HoursOfOperationId"], MaxContacts=5)
        q = self.c.describe_queue(InstanceId=self.inst, QueueId=created["QueueId"])["Queue"]
        self.assertEqual((q["Name"], q["QueueArn"], q["MaxContacts"], q["Status"]), ("Py Sales", created["QueueArn"], 5, "ENABLED"))
        queues = self.c.list_queues(InstanceId=self.inst, QueueTypes=["STANDARD"])["QueueSummaryList"]
        names = [s["Name"] for s in queues]
        self.assertIn("BasicQueue", names)
        self.assertIn("Py Sales", names)
        self.assertEqual({s["QueueType"] for s in queues}, {"STANDARD"})
        self.assertRaisesError(
            self.c.exceptions.DuplicateResourceException, self.c.create_queue, "Py Sales",
            InstanceId=self.inst, Name="Py Sales", HoursOfOperationId=self.d["HoursOfOperationId"],
        )

    def test_unknown_queue_is_resource_not_found(self):
        """DescribeQueue: an unknown id is ResourceNotFoundException."""
        e = self.assertRaisesError(self.c.exceptions.ResourceNotFoundException, self.c.describe_queue, "no-such-queue",
                                   InstanceId=self.inst, QueueId="no-such-queue")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertTrue(e.response["ResponseMetadata"].get("RequestId"), e.response)

    def test_quick_connects(self):
        """CreateQuickConnect, DescribeQuickConnect."""
        flows = self.c.list_contact_flows(InstanceId=self.inst, ContactFlowTypes=["QUEUE_TRANSFER"])["ContactFlowSummaryList"]
        self.assertTrue(flows, "no QUEUE_TRANSFER flow")
        created = self.c.create_quick_connect(
            InstanceId=self.inst, Name="Py to BasicQueue",
            QuickConnectConfig={"QuickConnectType": "QUEUE", "QueueConfig": {"QueueId": self.d["QueueId"], "ContactFlowId": flows[0]["Id"]}},
        )
        qc = self.c.describe_quick_connect(InstanceId=self.inst, QuickConnectId=created["QuickConnectId"])["QuickConnect"]
        self.assertEqual((qc["Name"], qc["QuickConnectARN"]), ("Py to BasicQueue", created["QuickConnectARN"]))
        self.assertEqual(qc["QuickConnectConfig"]["QuickConnectType"], "QUEUE")
        self.assertEqual(qc["QuickConnectConfig"]["QueueConfig"]["QueueId"], self.d["QueueId"])

    def test_task_templates(self):
        """CreateTaskTemplate, GetTaskTemplate."""
        params = dict(
            InstanceId=self.inst, Name="Py Callback", ContactFlowId=self.d["ContactFlowId"], ClientToken="py-template-token",
            Fields=[{"Id": {"Name": "Customer"}, "Type": "TEXT"},
                    {"Id": {"Name": "Priority"}, "Type": "SINGLE_SELECT", "SingleSelectOptions": ["low", "high"]}],
            Constraints={"RequiredFields": [{"Id": {"Name": "Customer"}}]},
            Defaults={"DefaultFieldValues": [{"Id": {"Name": "Priority"}, "DefaultValue": "low"}]},
        )
        created = self.c.create_task_template(**params)
        got = self.c.get_task_template(InstanceId=self.inst, TaskTemplateId=created["Id"])
        self.assertEqual((got["Name"], got["Arn"], got["Status"]), ("Py Callback", created["Arn"], "ACTIVE"))
        self.assertEqual(len(got["Fields"]), 2)
        self.assertRecent(got["CreatedTime"])
        self.assertEqual(self.c.create_task_template(**params)["Id"], created["Id"], "the same ClientToken must replay the first answer")

    def test_constraint_on_unknown_field_is_property_validation(self):
        """CreateTaskTemplate: a constraint on an unknown field is PropertyValidationException with PropertyList."""
        e = self.assertRaisesError(
            self.c.exceptions.PropertyValidationException, self.c.create_task_template, "B",
            InstanceId=self.inst, Name="Py Broken", Fields=[{"Id": {"Name": "A"}, "Type": "TEXT"}],
            Constraints={"ReadOnlyFields": [{"Id": {"Name": "B"}}]},
        )
        props = e.response.get("PropertyList")
        self.assertEqual(len(props or []), 1, e.response)
        self.assertEqual(props[0]["Reason"], "REFERENCED_RESOURCE_NOT_FOUND")
        self.assertTrue(props[0]["PropertyPath"] and props[0]["Message"], props)

    def test_email_addresses(self):
        """CreateEmailAddress, DescribeEmailAddress (CreateTimestamp stays a string), SearchEmailAddresses."""
        created = self.c.create_email_address(InstanceId=self.inst, EmailAddress="py-billing@example.com",
                                              DisplayName="Py Billing", ClientToken="py-email-token")
        got = self.c.describe_email_address(InstanceId=self.inst, EmailAddressId=created["EmailAddressId"])
        self.assertEqual((got["EmailAddress"], got["DisplayName"], got["EmailAddressArn"]),
                         ("py-billing@example.com", "Py Billing", created["EmailAddressArn"]))
        self.assertIsInstance(got["CreateTimestamp"], str)
        self.assertRegex(got["CreateTimestamp"], ISO_DATETIME)
        support = self.c.describe_email_address(InstanceId=self.inst, EmailAddressId=self.d["EmailAddressId"])
        self.assertEqual(support["EmailAddress"], "support@connectlocal.email.connect.aws")
        self.assertRegex(support["CreateTimestamp"], ISO_DATETIME)
        found = self.c.search_email_addresses(InstanceId=self.inst, SearchCriteria={
            "StringCondition": {"FieldName": "EmailAddress", "Value": "PY-BILLING@", "ComparisonType": "STARTS_WITH"}})
        self.assertEqual([e["EmailAddressId"] for e in found["EmailAddresses"]], [created["EmailAddressId"]])
        self.assertEqual(found["ApproximateTotalCount"], 1)

    def test_same_client_token_other_address_is_idempotency(self):
        """CreateEmailAddress: the same ClientToken for another address is IdempotencyException."""
        self.c.create_email_address(InstanceId=self.inst, EmailAddress="py-first@example.com", ClientToken="py-idempotency-token")
        e = self.assertRaisesError(
            self.c.exceptions.IdempotencyException, self.c.create_email_address, "py-idempotency-token",
            InstanceId=self.inst, EmailAddress="py-second@example.com", ClientToken="py-idempotency-token",
        )
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 409)

    def test_tags_by_arn(self):
        """TagResource, UntagResource, ListTagsForResource: the queue ARN round-trips in /tags/{resourceArn}."""
        arn = f"arn:aws:connect:us-east-1:000000000000:instance/{self.inst}/queue/{self.d['QueueId']}"
        self.c.tag_resource(resourceArn=arn, tags={"env": "dev", "team": "cx"})
        self.c.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(self.c.list_tags_for_resource(resourceArn=arn)["tags"], {"env": "dev"})
        q = self.c.describe_queue(InstanceId=self.inst, QueueId=self.d["QueueId"])["Queue"]
        self.assertEqual(q.get("Tags", {}).get("env"), "dev")
        self.assertRaisesError(self.c.exceptions.ResourceNotFoundException, self.c.list_tags_for_resource, resourceArn=arn + "x")

    # Contacts (e2e/contacts_test.go).

    def contact_arn(self, contact_id):
        return f"{self.d['InstanceArn']}/contact/{contact_id}"

    def email_input(self, subject="Order question", body="<p>Hello, where is my order?</p>", **more):
        """A StartEmailContact request to the default address."""
        return {
            "InstanceId": self.inst, "DestinationEmailAddress": "support@connectlocal.email.connect.aws",
            "FromEmailAddress": {"EmailAddress": "jane.doe@example.com", "DisplayName": "Jane Doe"},
            "EmailMessage": {"MessageSourceType": "RAW", "RawMessage": {"Subject": subject, "Body": body, "ContentType": "text/html"}},
            **more,
        }

    def email_contact(self, **more):
        """Starts an email contact; returns its ID and ARN (attached files' AssociatedResourceArn)."""
        contact_id = self.c.start_email_contact(**self.email_input(**more))["ContactId"]
        return contact_id, self.contact_arn(contact_id)

    def references(self, contact_id, *types):
        return self.c.list_contact_references(InstanceId=self.inst, ContactId=contact_id, ReferenceTypes=list(types))["ReferenceSummaryList"]

    def union(self, value):
        """The single member a union value (a ReferenceSummary, a Reason) carries."""
        self.assertEqual(len(value), 1, f"want a one-member union, got {value}")
        return next(iter(value))

    def download(self, arn, file_id):
        """Fetches an APPROVED attached file through GetAttachedFile and its URL."""
        f = self.c.get_attached_file(InstanceId=self.inst, AssociatedResourceArn=arn, FileId=file_id)
        self.assertEqual(f["FileStatus"], "APPROVED")
        with urllib.request.urlopen(f["DownloadUrlMetadata"]["Url"], timeout=10) as resp:
            return f, resp.status, dict(resp.headers), resp.read()

    def test_task_references_are_one_member_unions(self):
        """StartTaskContact, ListContactReferences: each reference type is its own one-member union."""
        contact_id = self.c.start_task_contact(
            InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], Name="Py references",
            References={
                "site": {"Type": "URL", "Value": "https://example.com/case/1"},
                "note": {"Type": "STRING", "Value": "call back"},
                "amount": {"Type": "NUMBER", "Value": "12.5"},
                "due": {"Type": "DATE", "Value": "1767225600"},
                "owner": {"Type": "EMAIL", "Value": "owner@example.com"},
            },
            Attachments=[{"FileName": "invoice.pdf", "S3Url": "https://bucket.s3.amazonaws.com/invoice.pdf"}],
        )["ContactId"]
        refs = self.references(contact_id, "URL", "STRING", "NUMBER", "DATE", "EMAIL", "ATTACHMENT")
        got = {self.union(r): r[self.union(r)] for r in refs}
        self.assertEqual(got, {
            "Url": {"Name": "site", "Value": "https://example.com/case/1"},
            "String": {"Name": "note", "Value": "call back"},
            "Number": {"Name": "amount", "Value": "12.5"},
            "Date": {"Name": "due", "Value": "1767225600"},
            "Email": {"Name": "owner", "Value": "owner@example.com"},
            "Attachment": {"Name": "invoice.pdf", "Value": "https://bucket.s3.amazonaws.com/invoice.pdf", "Status": "APPROVED"},
        })
        self.assertEqual([self.union(r) for r in self.references(contact_id, "URL")], ["Url"])

    def test_create_contact_and_update_external_audio(self):
        """CreateContact, DescribeContact (InitiationTimestamp as a datetime), UpdateContact on external audio."""
        created = self.c.create_contact(InstanceId=self.inst, Channel="VOICE", InitiationMethod="TRANSFER", Name="Py audio")
        self.assertEqual(created["ContactArn"], self.contact_arn(created["ContactId"]))
        got = self.c.describe_contact(InstanceId=self.inst, ContactId=created["ContactId"])["Contact"]
        self.assertEqual((got["Arn"], got["Channel"], got["InitiationMethod"]), (created["ContactArn"], "VOICE", "TRANSFER"))
        self.assertEqual(got["SegmentAttributes"]["connect:Subtype"]["ValueString"], "connect:ExternalAudio")
        self.assertRecent(got["InitiationTimestamp"])
        self.assertNotIn("DisconnectTimestamp", got)
        self.c.update_contact(InstanceId=self.inst, ContactId=created["ContactId"], QueueInfo={"Id": self.d["QueueId"]},
                              CustomerEndpoint={"Type": "TELEPHONE_NUMBER", "Address": "+14155550100"})
        updated = self.c.describe_contact(InstanceId=self.inst, ContactId=created["ContactId"])["Contact"]
        self.assertEqual(updated["QueueInfo"]["Id"], self.d["QueueId"])
        self.assertEqual(updated["CustomerEndpoint"]["Address"], "+14155550100")
        self.assertRecent(updated["LastUpdateTimestamp"])

    def test_outbound_voice_and_webrtc(self):
        """StartOutboundVoiceContact, StartWebRTCContact."""
        voice = self.c.start_outbound_voice_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"],
                                                    DestinationPhoneNumber="+14155550100", QueueId=self.d["QueueId"])
        v = self.c.describe_contact(InstanceId=self.inst, ContactId=voice["ContactId"])["Contact"]
        # Connect's InitiationMethod for StartOutboundVoiceContact is API.
        self.assertEqual((v["Channel"], v["InitiationMethod"]), ("VOICE", "API"))
        self.assertEqual((v["CustomerEndpoint"]["Address"], v["QueueInfo"]["Id"]), ("+14155550100", self.d["QueueId"]))
        rtc = self.c.start_web_rtc_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], ParticipantDetails={"DisplayName": "Ana"})
        self.assertTrue(rtc["ConnectionData"]["Meeting"]["MediaPlacement"]["AudioHostUrl"].startswith(server.url + "/"), rtc["ConnectionData"])
        self.assertTrue(rtc["ConnectionData"]["Attendee"]["JoinToken"] and rtc["ParticipantToken"] and rtc["ParticipantId"])
        w = self.c.describe_contact(InstanceId=self.inst, ContactId=rtc["ContactId"])["Contact"]
        self.assertEqual(w["InitiationMethod"], "WEBRTC_API")

    def test_contact_attributes_and_tags(self):
        """UpdateContact, UpdateContactAttributes, GetContactAttributes, TagContact, UntagContact."""
        contact_id = self.c.start_task_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], Name="Py task",
                                               Attributes={"a": "1"})["ContactId"]
        self.c.update_contact(InstanceId=self.inst, ContactId=contact_id, Name="Py renamed", Description="new")
        self.c.update_contact_attributes(InstanceId=self.inst, InitialContactId=contact_id, Attributes={"b": "2"})
        self.assertEqual(self.c.get_contact_attributes(InstanceId=self.inst, InitialContactId=contact_id)["Attributes"], {"a": "1", "b": "2"})
        self.c.tag_contact(InstanceId=self.inst, ContactId=contact_id, Tags={"team": "cx", "env": "dev"})
        self.c.untag_contact(InstanceId=self.inst, ContactId=contact_id, TagKeys=["team"])
        got = self.c.describe_contact(InstanceId=self.inst, ContactId=contact_id)["Contact"]
        self.assertEqual((got["Name"], got["Description"]), ("Py renamed", "new"))
        self.assertEqual(got["Attributes"], {"a": "1", "b": "2"})
        self.assertEqual(got["Tags"], {"env": "dev"})

    def test_stop_contact_twice_is_contact_not_found(self):
        """StopContact: DisconnectTimestamp as a datetime; a second stop is ContactNotFoundException (410)."""
        contact_id = self.c.start_task_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], Name="Py stop")["ContactId"]
        self.c.stop_contact(InstanceId=self.inst, ContactId=contact_id, DisconnectReason={"Code": "done"})
        got = self.c.describe_contact(InstanceId=self.inst, ContactId=contact_id)["Contact"]
        self.assertRecent(got["DisconnectTimestamp"])
        self.assertEqual(got["DisconnectReason"], "API")
        e = self.assertRaisesError(self.c.exceptions.ContactNotFoundException, self.c.stop_contact, contact_id,
                                   InstanceId=self.inst, ContactId=contact_id)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 410)

    def test_scheduled_task(self):
        """StartTaskContact: ScheduledTime (boto3 sends whole seconds) comes back as a datetime."""
        when = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(days=1)
        contact_id = self.c.start_task_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], Name="Py scheduled",
                                               ScheduledTime=when)["ContactId"]
        got = self.c.describe_contact(InstanceId=self.inst, ContactId=contact_id)["Contact"]
        self.assertEqual(got["ScheduledTimestamp"], when)

    def test_search_contacts(self):
        """SearchContacts: filters, newest first, Sort, and the search_contacts paginator."""
        mine = {"SearchableContactAttributes": {"Criteria": [{"Key": "suite", "Values": ["py-search"]}]}}
        attrs = {"suite": "py-search"}
        task = self.c.start_task_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], Name="Py search", Attributes=attrs)["ContactId"]
        time.sleep(0.005)
        email, _ = self.email_contact(Attributes=attrs)
        time.sleep(0.005)
        voice = self.c.start_outbound_voice_contact(InstanceId=self.inst, ContactFlowId=self.d["ContactFlowId"], DestinationPhoneNumber="+14155550100",
                                                    QueueId=self.d["QueueId"], Attributes=attrs)["ContactId"]
        now = datetime.datetime.now(datetime.timezone.utc)
        window = {"Type": "INITIATION_TIMESTAMP", "StartTime": now - datetime.timedelta(hours=1), "EndTime": now + datetime.timedelta(hours=1)}

        def search(criteria, **sort):
            ids = []
            pages = self.c.get_paginator("search_contacts").paginate(
                InstanceId=self.inst, TimeRange=window, SearchCriteria=criteria, PaginationConfig={"PageSize": 2}, **sort)
            for page in pages:
                self.assertLessEqual(len(page["Contacts"]), 2)
                for s in page["Contacts"]:
                    self.assertRecent(s["InitiationTimestamp"])
                    ids.append(s["Id"])
            return ids

        self.assertEqual(search(mine), [voice, email, task])
        self.assertEqual(search(mine, Sort={"FieldName": "INITIATION_TIMESTAMP", "Order": "ASCENDING"}), [task, email, voice])
        self.assertEqual(search(dict(mine, Channels=["EMAIL", "TASK"])), [email, task])
        page = self.c.search_contacts(InstanceId=self.inst, TimeRange=window, SearchCriteria=dict(mine, Channels=["VOICE"]))
        self.assertEqual([s["Id"] for s in page["Contacts"]], [voice])
        self.assertEqual((page["TotalCount"], page["Contacts"][0]["Channel"]), (1, "VOICE"))

    def test_email_contact_idempotency(self):
        """StartEmailContact, DescribeContact; the same ClientToken for another subject is IdempotencyException."""
        first = self.c.start_email_contact(**self.email_input(ClientToken="py-email-1"))
        got = self.c.describe_contact(InstanceId=self.inst, ContactId=first["ContactId"])["Contact"]
        self.assertEqual((got["Channel"], got["InitiationMethod"]), ("EMAIL", "INBOUND"))
        self.assertEqual(got["CustomerEndpoint"]["Address"], "jane.doe@example.com")
        self.assertEqual(got["SegmentAttributes"], {})
        again = self.c.start_email_contact(**self.email_input(ClientToken="py-email-1"))
        self.assertEqual(again["ContactId"], first["ContactId"], "the same ClientToken must replay the first answer")
        e = self.assertRaisesError(self.c.exceptions.IdempotencyException, self.c.start_email_contact,
                                   **self.email_input(ClientToken="py-email-1", subject="different"))
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 409)

    # The email analytics pipeline (e2e/analytics_test.go).

    def test_email_analysis_references(self):
        """Email analysis: message files as one-member unions; CONTACT_ANALYSIS as boto3's SDK_UNKNOWN_MEMBER."""
        contact_id, arn = self.email_contact(subject="Refund for Maria Garcia", body=PII_EMAIL,
                                             FromEmailAddress={"EmailAddress": "maria.garcia@example.com"})
        # botocore's model has no ContactAnalysis member; botocore documents an unknown
        # union member as {"SDK_UNKNOWN_MEMBER": {"name": <the member's name>}}.
        deadline = time.time() + 5
        while not (analysis := self.references(contact_id, "CONTACT_ANALYSIS")):
            self.assertLess(time.time(), deadline, "timed out waiting for the analysis")
            time.sleep(0.05)
        self.assertEqual(analysis, [{"SDK_UNKNOWN_MEMBER": {"name": "ContactAnalysis"}}])
        for typ, member in (("EMAIL_MESSAGE", "EmailMessage"), ("EMAIL_MESSAGE_PLAIN_TEXT", "EmailMessagePlainText"),
                            ("EMAIL_MESSAGE_REDACTED", "EmailMessageRedacted"),
                            ("EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", "EmailMessagePlainTextRedacted")):
            refs = self.references(contact_id, typ)
            self.assertEqual([self.union(r) for r in refs], [member], refs)
            self.assertTrue(refs[0][member]["Arn"].startswith(self.d["InstanceArn"] + "/file/"), refs)
        redacted = self.references(contact_id, "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED")[0]["EmailMessagePlainTextRedacted"]
        text = self.download(arn, redacted["Arn"].rsplit("/", 1)[1])[3].decode()
        for pii in ("4111", "555-0142", "maria.garcia@example.com", "123-45-6789"):
            self.assertNotIn(pii, text)
        self.assertIn("[CREDIT_DEBIT_NUMBER]", text)

    # Attached files (e2e/files_test.go).

    def test_attached_file_life_cycle(self):
        """StartAttachedFileUpload, PUT with urllib, CompleteAttachedFileUpload, GetAttachedFile, BatchGetAttachedFileMetadata, DeleteAttachedFile."""
        _, arn = self.email_contact()
        body = b"%PDF-1.7\n" + b"quarterly numbers\n" * 500
        up = self.c.start_attached_file_upload(InstanceId=self.inst, AssociatedResourceArn=arn, FileName="Q3 report.pdf",
                                               FileSizeInBytes=len(body), FileUseCaseType="ATTACHMENT", Tags={"team": "billing"})
        self.assertEqual(up["FileStatus"], "PROCESSING")
        self.assertEqual(up["FileArn"], f"{self.d['InstanceArn']}/file/{up['FileId']}")
        self.assertIsInstance(up["CreationTime"], str, "CreationTime is an ISO 8601 string in the model")
        self.assertRegex(up["CreationTime"], ISO_DATETIME)
        self.assertEqual(up["CreatedBy"], {"AWSIdentityArn": "arn:aws:iam::000000000000:user/test"})
        meta = up["UploadUrlMetadata"]
        self.assertRegex(meta["UrlExpiry"], ISO_DATETIME)
        self.assertEqual(meta["HeadersToInclude"], {"Content-Type": "application/pdf"})
        put = urllib.request.Request(meta["Url"], data=body, method="PUT", headers=meta["HeadersToInclude"])
        with urllib.request.urlopen(put, timeout=10) as resp:
            self.assertEqual(resp.status, 200)
        self.c.complete_attached_file_upload(InstanceId=self.inst, AssociatedResourceArn=arn, FileId=up["FileId"])
        f, status, headers, downloaded = self.download(arn, up["FileId"])
        self.assertEqual(downloaded, body)
        self.assertEqual(headers.get("Content-Type"), "application/pdf")
        self.assertEqual((f["FileName"], f["FileSizeInBytes"], f["AssociatedResourceArn"]), ("Q3 report.pdf", len(body), arn))
        self.assertEqual((f["CreationTime"], f["Tags"]), (up["CreationTime"], {"team": "billing"}))
        self.assertRegex(f["DownloadUrlMetadata"]["UrlExpiry"], ISO_DATETIME)

        unknown = "00000000-0000-4000-8000-000000000000"
        batch = self.c.batch_get_attached_file_metadata(InstanceId=self.inst, AssociatedResourceArn=arn, FileIds=[up["FileId"], unknown])
        self.assertEqual([(x["FileId"], x["FileStatus"]) for x in batch["Files"]], [(up["FileId"], "APPROVED")])
        self.assertRegex(batch["Files"][0]["CreationTime"], ISO_DATETIME)
        self.assertEqual([(x["FileId"], x["ErrorCode"]) for x in batch["Errors"]], [(unknown, "404")])

        self.c.delete_attached_file(InstanceId=self.inst, AssociatedResourceArn=arn, FileId=up["FileId"])
        self.assertRaisesError(self.c.exceptions.ResourceNotFoundException, self.c.get_attached_file, up["FileId"],
                               InstanceId=self.inst, AssociatedResourceArn=arn, FileId=up["FileId"])
        with self.assertRaises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f["DownloadUrlMetadata"]["Url"], timeout=10)
        self.assertEqual(gone.exception.code, 404)
        gone.exception.close()

    def test_disallowed_extension_is_invalid_request_with_reason(self):
        """StartAttachedFileUpload: a disallowed extension is InvalidRequestException with Reason INVALID_FILE_TYPE."""
        _, arn = self.email_contact()
        e = self.assertRaisesError(self.c.exceptions.InvalidRequestException, self.c.start_attached_file_upload, ".exe",
                                   InstanceId=self.inst, AssociatedResourceArn=arn, FileName="setup.exe", FileSizeInBytes=10,
                                   FileUseCaseType="ATTACHMENT")
        self.assertEqual(e.response.get("Reason"), {"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_TYPE"}, e.response)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_eleventh_file_is_service_quota_exceeded_with_reason(self):
        """StartAttachedFileUpload: the eleventh file is ServiceQuotaExceededException with Reason TOTAL_FILE_COUNT_EXCEEDED."""
        _, arn = self.email_contact()
        params = dict(InstanceId=self.inst, AssociatedResourceArn=arn, FileSizeInBytes=10, FileUseCaseType="ATTACHMENT")
        for i in range(10):
            self.c.start_attached_file_upload(FileName=f"f{i}.txt", **params)
        e = self.assertRaisesError(self.c.exceptions.ServiceQuotaExceededException, self.c.start_attached_file_upload, "10",
                                   FileName="f10.txt", **params)
        self.assertEqual(e.response.get("Reason"), {"AttachedFileServiceQuotaExceededExceptionReason": "TOTAL_FILE_COUNT_EXCEEDED"}, e.response)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 402)

    def test_attached_files_configuration(self):
        """DescribeAttachedFilesConfiguration, ListAttachedFilesConfigurations, UpdateAttachedFilesConfiguration."""
        email = self.c.describe_attached_files_configuration(InstanceId=self.inst, AttachmentScope="EMAIL")["AttachedFilesConfiguration"]
        self.assertEqual((email["InstanceId"], email["MaximumSizeLimitInBytes"]), (self.inst, 20 << 20))
        self.assertIn({"Extension": "pdf"}, email["ExtensionConfiguration"]["AllowedExtensions"])
        listed = self.c.list_attached_files_configurations(InstanceId=self.inst)["AttachedFilesConfigurations"]
        self.assertEqual([x["AttachmentScope"] for x in listed], ["EMAIL", "CHAT", "CASE", "TASK"])
        updated = self.c.update_attached_files_configuration(
            InstanceId=self.inst, AttachmentScope="CHAT", MaximumSizeLimitInBytes=1000,
            ExtensionConfiguration={"AllowedExtensions": [{"Extension": "PDF"}, {"Extension": "zip"}]})
        self.assertEqual(updated["MaximumSizeLimitInBytes"], 1000)
        self.assertEqual(updated["ExtensionConfiguration"]["AllowedExtensions"], [{"Extension": "pdf"}, {"Extension": "zip"}])
        self.assertRecent(updated["LastModifiedTime"])
        chat = self.c.describe_attached_files_configuration(InstanceId=self.inst, AttachmentScope="CHAT")["AttachedFilesConfiguration"]
        self.assertEqual(chat["MaximumSizeLimitInBytes"], 1000)
        self.assertRecent(chat["LastModifiedTime"])

    # Rules (e2e/rules_test.go).

    def test_rules(self):
        """CreateRule, DescribeRule, UpdateRule, ListRules, DeleteRule; a second rule of the same name is ResourceConflictException."""
        category = {"ActionType": "ASSIGN_CONTACT_CATEGORY", "AssignContactCategoryAction": {}}
        task = {"ActionType": "CREATE_TASK", "TaskAction": {"Name": "Call back", "ContactFlowId": self.d["ContactFlowId"],
                                                            "References": {"ticket": {"Type": "URL", "Value": "https://example.com/t"}}}}
        params = dict(InstanceId=self.inst, Name="py-angry-customers", PublishStatus="PUBLISHED",
                      TriggerEventSource={"EventSourceName": "OnEmailAnalysisAvailable"}, Function=NEVER_MATCHES,
                      Actions=[category, task])
        created = self.c.create_rule(ClientToken="py-rule-1", **params)
        self.assertEqual(created["RuleArn"], f"{self.d['InstanceArn']}/rule/{created['RuleId']}")
        r = self.c.describe_rule(InstanceId=self.inst, RuleId=created["RuleId"])["Rule"]
        self.assertEqual((r["Name"], r["Function"], r["TriggerEventSource"]["EventSourceName"]),
                         ("py-angry-customers", NEVER_MATCHES, "OnEmailAnalysisAvailable"))
        self.assertEqual(r["Actions"][0], category)
        self.assertEqual(r["Actions"][1]["TaskAction"]["References"]["ticket"]["Value"], "https://example.com/t")
        self.assertRecent(r["CreatedTime"])
        self.assertRecent(r["LastUpdatedTime"])
        self.assertEqual(r["LastUpdatedBy"], "arn:aws:iam::000000000000:user/test")
        # boto3 fills in a new ClientToken per call; an explicit one makes the retry obvious.
        self.assertRaisesError(self.c.exceptions.ResourceConflictException, self.c.create_rule, "py-angry-customers",
                               ClientToken="py-rule-2", **params)
        self.c.update_rule(InstanceId=self.inst, RuleId=created["RuleId"], Name="py-angry-customers", Function=INBOUND_EMAIL,
                           Actions=[category], PublishStatus="DRAFT")
        u = self.c.describe_rule(InstanceId=self.inst, RuleId=created["RuleId"])["Rule"]
        self.assertEqual((u["Function"], u["PublishStatus"], len(u["Actions"])), (INBOUND_EMAIL, "DRAFT", 1))
        self.c.create_rule(ClientToken="py-rule-3", **dict(params, Name="py-second", PublishStatus="DRAFT", Actions=[category]))
        names = []
        pages = self.c.get_paginator("list_rules").paginate(InstanceId=self.inst, PublishStatus="DRAFT",
                                                             EventSourceName="OnEmailAnalysisAvailable", PaginationConfig={"PageSize": 1})
        for page in pages:
            self.assertLessEqual(len(page["RuleSummaryList"]), 1)
            for s in page["RuleSummaryList"]:
                self.assertEqual(s["ActionSummaries"], [{"ActionType": "ASSIGN_CONTACT_CATEGORY"}])
                self.assertRecent(s["CreatedTime"])
                names.append(s["Name"])
        self.assertEqual([n for n in names if n.startswith("py-")], ["py-angry-customers", "py-second"])
        published = self.c.list_rules(InstanceId=self.inst, PublishStatus="PUBLISHED")["RuleSummaryList"]
        self.assertFalse([s for s in published if s["Name"].startswith("py-")], published)
        self.c.delete_rule(InstanceId=self.inst, RuleId=created["RuleId"])
        self.assertRaisesError(self.c.exceptions.ResourceNotFoundException, self.c.describe_rule, InstanceId=self.inst, RuleId=created["RuleId"])

    def test_untagged_resource_has_empty_tags(self):
        """ListTagsForResource: an untagged resource has tags {}, present and empty."""
        out = self.c.list_tags_for_resource(resourceArn=f"{self.d['InstanceArn']}/operating-hours/{self.d['HoursOfOperationId']}")
        self.assertIn("tags", out)
        self.assertEqual(out["tags"], {})

    @not_recorded
    def test_unimplemented_operation(self):
        """An unimplemented operation (ListUsers) is NotImplementedException naming it."""
        e = self.assertRaisesError("NotImplementedException", self.c.list_users, "ListUsers", InstanceId=self.inst)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 501)

    def test_wrong_secret(self):
        """A wrong secret is InvalidSignatureException."""
        self.assertRaisesError("InvalidSignatureException", self.client("test", "wrong").describe_instance, "signature",
                               InstanceId=self.inst)

    def test_unknown_access_key(self):
        """An unknown access key is UnrecognizedClientException."""
        self.assertRaisesError("UnrecognizedClientException", self.client("AKIDUNKNOWN", "x").describe_instance, "security token",
                               InstanceId=self.inst)

    def test_accounts_are_isolated(self):
        """Accounts are isolated: another account's key does not find the default instance."""
        other = self.client(OTHER_KEY, OTHER_SECRET)
        self.assertRaisesError(other.exceptions.ResourceNotFoundException, other.describe_instance, InstanceId=self.inst)
        self.assertEqual(other.list_instances().get("InstanceSummaryList", []), [])


if __name__ == "__main__":
    unittest.main()

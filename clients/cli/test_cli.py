"""The AWS CLI (`aws connect ... --endpoint-url URL --output json`) against a real
connectlocal process: every implemented operation, and the failure paths where
clients differ. Each call is a real `aws` process and its stdout is parsed as JSON;
an error is the CLI's non-zero exit and its "An error occurred (Code) when calling the
Op operation: message" line. The CLI prints no modelled error members (an
InvalidContactFlowException's problems, a PropertyValidationException's PropertyList):
those are checked by the SDK suites, as are modelled Reason unions. Mirrors
e2e/foundation_test.go, contacts_test.go, files_test.go, rules_test.go and
analytics_test.go; attached files are PUT and downloaded with urllib.

Run: python3 test_cli.py   (from clients/cli; three tests at a time, since every `aws`
process takes about a second to start), or python3 -m unittest -v test_cli.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from connectlocal_server import OTHER_KEY, OTHER_SECRET, Results, Server, not_recorded, run_concurrently  # noqa: E402

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
    '"Operands":["cli-no-such-word"],"ComparisonValue":"$.ContactLens.Email.ExactMatch.Text","Negate":false}]}}'
)
INBOUND_EMAIL = (
    '{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY",'
    '"Operands":["INBOUND"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}'
)
ERROR_LINE = re.compile(r"An error occurred \((\w+)\) when calling the (\w+) operation(?: \([^)]*\))?: (.*)", re.S)

results = Results("cli")
server = None
config_dir = None
env = None
aws_cli = "aws"


def find_aws():
    """The aws program: $AWS_CLI, else aws on PATH. A pyenv shim is resolved to the
    program it runs, which saves the shim's start-up (about half a second) on every call."""
    found = os.environ.get("AWS_CLI") or shutil.which("aws") or "aws"
    if os.sep + "shims" + os.sep in found and shutil.which("pyenv"):
        p = subprocess.run(["pyenv", "which", "aws"], capture_output=True, text=True)
        if p.returncode == 0 and p.stdout.strip():
            return p.stdout.strip()
    return found


def setUpModule():
    global server, config_dir, env, aws_cli
    aws_cli = find_aws()
    version = subprocess.run([aws_cli, "--version"], capture_output=True, text=True)
    print((version.stdout or version.stderr).strip())
    server = Server()
    # A config of the suite's own: JSON output, timestamps as ISO 8601 strings (the CLI v1
    # default prints the wire's epoch number as it is), and one attempt per call
    # (the CLI would otherwise retry some errors, such as 5xx).
    config_dir = tempfile.mkdtemp(prefix="connectlocal-cli-")
    config = os.path.join(config_dir, "config")
    with open(config, "w") as f:
        f.write("[default]\nregion = us-east-1\noutput = json\ncli_timestamp_format = iso8601\n"
                "retry_mode = standard\nmax_attempts = 1\n")
    open(os.path.join(config_dir, "credentials"), "w").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k == "AWS_DATA_PATH"}
    env.update(AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE=os.path.join(config_dir, "credentials"), AWS_PAGER="")


def tearDownModule():
    results.write()
    server.stop(keep_log=results.failed_tests > 0)
    shutil.rmtree(config_dir, ignore_errors=True)


def command(operation):
    """The CLI's name for an operation: DescribeQueue -> describe-queue, StartWebRTCContact ->
    start-web-rtc-contact (an acronym is one word)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", operation).lower()


def aws(operation, *args, key="test", secret="test"):
    """Runs `aws connect <operation> args --endpoint-url URL --output json` as the key."""
    results.called(operation)
    cmd = [aws_cli, "connect", command(operation), *args, "--endpoint-url", server.url, "--output", "json"]
    return subprocess.run(cmd, env=dict(env, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret),
                          capture_output=True, text=True, timeout=60)


class CLITest(results.test_case()):
    maxDiff = None

    def setUp(self):
        self.d = server.defaults
        self.inst = self.d["InstanceId"]

    def ok(self, operation, *args, **kw):
        """Runs a call that must succeed and returns its output parsed as JSON."""
        p = aws(operation, *args, **kw)
        self.assertEqual(p.returncode, 0, f"aws connect {command(operation)}: {p.stderr}")
        return json.loads(p.stdout) if p.stdout.strip() else {}

    def fails(self, operation, code, *args, fragments=(), **kw):
        """Runs a call that must fail with the error code and a message containing each
        fragment, and returns the message."""
        p = aws(operation, *args, **kw)
        self.assertNotEqual(p.returncode, 0, f"aws connect {command(operation)} succeeded: {p.stdout}")
        m = ERROR_LINE.search(p.stderr)
        self.assertIsNotNone(m, f"no error line in: {p.stderr}")
        self.assertEqual((m.group(1), m.group(2)), (code, operation), p.stderr)
        for f in fragments:
            self.assertIn(f, m.group(3))
        return m.group(3)

    def assertRecent(self, value):
        self.assertIsInstance(value, str)
        t = datetime.datetime.fromisoformat(value)
        self.assertIsNotNone(t.tzinfo, value)
        self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()), 600, value)

    def test_default_instance(self):
        """DescribeInstance: the default instance, CreatedTime as an ISO 8601 string."""
        inst = self.ok("DescribeInstance", "--instance-id", self.inst)["Instance"]
        self.assertEqual(inst["InstanceAlias"], "connectlocal")
        self.assertEqual(inst["InstanceStatus"], "ACTIVE")
        self.assertEqual(inst["Arn"], f"arn:aws:connect:us-east-1:000000000000:instance/{self.inst}")
        self.assertRecent(inst["CreatedTime"])

    def test_instance_life_cycle(self):
        """CreateInstance, DescribeInstance by ARN, its defaults, DeleteInstance."""
        created = self.ok("CreateInstance", "--identity-management-type", "CONNECT_MANAGED", "--instance-alias", "cli-lifecycle",
                          "--inbound-calls-enabled", "--no-outbound-calls-enabled", "--tags", "team=a")
        inst = self.ok("DescribeInstance", "--instance-id", created["Arn"])["Instance"]
        self.assertEqual(inst["Id"], created["Id"])
        self.assertIs(inst["OutboundCallsEnabled"], False)
        self.assertEqual(inst["Tags"], {"team": "a"})
        queues = self.ok("ListQueues", "--instance-id", created["Id"])["QueueSummaryList"]
        self.assertEqual([q["Name"] for q in queues], ["BasicQueue"])
        emails = self.ok("SearchEmailAddresses", "--instance-id", created["Id"])["EmailAddresses"]
        self.assertEqual([e["EmailAddress"] for e in emails], ["support@cli-lifecycle.email.connect.aws"])
        self.ok("DeleteInstance", "--instance-id", created["Id"])
        self.fails("DescribeInstance", "ResourceNotFoundException", "--instance-id", created["Id"], fragments=[created["Id"]])

    def test_list_instances_paginates(self):
        """ListInstances: --max-results 1 follows --next-token, and the CLI's own --page-size 1."""
        for alias in ("cli-page-1", "cli-page-2"):
            self.ok("CreateInstance", "--identity-management-type", "CONNECT_MANAGED", "--instance-alias", alias,
                    "--inbound-calls-enabled", "--outbound-calls-enabled")
        mine = lambda aliases: [a for a in aliases if a == "connectlocal" or a.startswith("cli-page-")]  # noqa: E731
        by_hand, token, pages = [], [], 0
        while True:
            page = self.ok("ListInstances", "--max-results", "1", *token)
            self.assertLessEqual(len(page["InstanceSummaryList"]), 1)
            by_hand += [s["InstanceAlias"] for s in page["InstanceSummaryList"]]
            pages += 1
            self.assertLess(pages, 50, "NextToken never ends")
            if not page.get("NextToken"):
                break
            token = ["--next-token", page["NextToken"]]
        self.assertGreaterEqual(pages, 3, by_hand)
        self.assertEqual(mine(by_hand), ["connectlocal", "cli-page-1", "cli-page-2"])
        paginated = self.ok("ListInstances", "--page-size", "1")["InstanceSummaryList"]
        self.assertEqual(mine([s["InstanceAlias"] for s in paginated]), ["connectlocal", "cli-page-1", "cli-page-2"])

    def test_bad_alias_is_invalid_request(self):
        """CreateInstance: a bad alias is InvalidRequestException."""
        self.fails("CreateInstance", "InvalidRequestException", "--identity-management-type", "CONNECT_MANAGED",
                   "--instance-alias", "not allowed!", "--inbound-calls-enabled", "--outbound-calls-enabled",
                   fragments=["1 validation error detected", "at 'instanceAlias'", "regular expression pattern"])

    def test_contact_flows(self):
        """CreateContactFlow, DescribeContactFlow, ListContactFlows."""
        created = self.ok("CreateContactFlow", "--instance-id", self.inst, "--name", "CLI Main", "--type", "CONTACT_FLOW",
                          "--content", MINIMAL_FLOW, "--tags", "k=v")
        self.assertEqual(len(created["FlowContentSha256"]), 64)
        f = self.ok("DescribeContactFlow", "--instance-id", self.inst, "--contact-flow-id", created["ContactFlowId"])["ContactFlow"]
        self.assertEqual(f["Arn"], created["ContactFlowArn"])
        self.assertEqual(f["Content"], MINIMAL_FLOW)
        self.assertEqual((f["Status"], f["State"]), ("PUBLISHED", "ACTIVE"))
        self.assertEqual(f["Tags"], {"k": "v"})
        self.assertRecent(f["LastModifiedTime"])
        flows = self.ok("ListContactFlows", "--instance-id", self.inst, "--contact-flow-types", "CONTACT_FLOW")["ContactFlowSummaryList"]
        names = [s["Name"] for s in flows]
        self.assertIn("Default inbound flow", names)
        self.assertIn("CLI Main", names)
        self.assertEqual({s["ContactFlowType"] for s in flows}, {"CONTACT_FLOW"})

    def test_saved_flow_is_not_published(self):
        """DescribeContactFlow: a SAVED flow is ContactFlowNotPublishedException, and found as <id>:$SAVED."""
        saved = self.ok("CreateContactFlow", "--instance-id", self.inst, "--name", "CLI Draft", "--type", "CONTACT_FLOW",
                        "--content", MINIMAL_FLOW, "--status", "SAVED")
        self.fails("DescribeContactFlow", "ContactFlowNotPublishedException", "--instance-id", self.inst,
                   "--contact-flow-id", saved["ContactFlowId"])
        f = self.ok("DescribeContactFlow", "--instance-id", self.inst, "--contact-flow-id", saved["ContactFlowId"] + ":$SAVED")["ContactFlow"]
        self.assertEqual((f["Name"], f["Status"]), ("CLI Draft", "SAVED"))

    def test_unknown_flow_type_is_invalid_parameter(self):
        """CreateContactFlow: an unknown Type is InvalidParameterException."""
        self.fails("CreateContactFlow", "InvalidParameterException", "--instance-id", self.inst, "--name", "x",
                   "--type", "NOT_A_TYPE", "--content", MINIMAL_FLOW, fragments=["at 'type'", "enum value set"])

    def test_content_that_is_no_flow_is_invalid_contact_flow(self):
        """CreateContactFlow: content that is no flow is InvalidContactFlowException."""
        self.fails("CreateContactFlow", "InvalidContactFlowException", "--instance-id", self.inst, "--name", "bad",
                   "--type", "CONTACT_FLOW", "--content", "not json")

    def test_hours_of_operation(self):
        """CreateHoursOfOperation, DescribeHoursOfOperation, ListHoursOfOperations."""
        created = self.ok("CreateHoursOfOperation", "--instance-id", self.inst, "--name", "CLI Office", "--time-zone", "Europe/Paris",
                          "--config", json.dumps([{"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 30}}]))
        h = self.ok("DescribeHoursOfOperation", "--instance-id", self.inst, "--hours-of-operation-id", created["HoursOfOperationId"])["HoursOfOperation"]
        self.assertEqual((h["Name"], h["TimeZone"]), ("CLI Office", "Europe/Paris"))
        self.assertEqual(h["Config"][0]["EndTime"]["Minutes"], 30)
        names = [s["Name"] for s in self.ok("ListHoursOfOperations", "--instance-id", self.inst)["HoursOfOperationSummaryList"]]
        self.assertIn("Basic Hours", names)
        self.assertIn("CLI Office", names)

    def test_queues(self):
        """CreateQueue, DescribeQueue, ListQueues; the same name twice is DuplicateResourceException."""
        hours = ["--hours-of-operation-id", self.d["HoursOfOperationId"]]
        created = self.ok("CreateQueue", "--instance-id", self.inst, "--name", "CLI Sales", *hours, "--max-contacts", "5")
        q = self.ok("DescribeQueue", "--instance-id", self.inst, "--queue-id", created["QueueId"])["Queue"]
        self.assertEqual((q["Name"], q["QueueArn"], q["MaxContacts"], q["Status"]), ("CLI Sales", created["QueueArn"], 5, "ENABLED"))
        queues = self.ok("ListQueues", "--instance-id", self.inst, "--queue-types", "STANDARD")["QueueSummaryList"]
        names = [s["Name"] for s in queues]
        self.assertIn("BasicQueue", names)
        self.assertIn("CLI Sales", names)
        self.assertEqual({s["QueueType"] for s in queues}, {"STANDARD"})
        self.fails("CreateQueue", "DuplicateResourceException", "--instance-id", self.inst, "--name", "CLI Sales", *hours,
                   fragments=["CLI Sales"])

    def test_unknown_queue_is_resource_not_found(self):
        """DescribeQueue: an unknown id is ResourceNotFoundException."""
        self.fails("DescribeQueue", "ResourceNotFoundException", "--instance-id", self.inst, "--queue-id", "no-such-queue",
                   fragments=["no-such-queue"])

    def test_quick_connects(self):
        """CreateQuickConnect, DescribeQuickConnect."""
        flows = self.ok("ListContactFlows", "--instance-id", self.inst, "--contact-flow-types", "QUEUE_TRANSFER")["ContactFlowSummaryList"]
        self.assertTrue(flows, "no QUEUE_TRANSFER flow")
        config = {"QuickConnectType": "QUEUE", "QueueConfig": {"QueueId": self.d["QueueId"], "ContactFlowId": flows[0]["Id"]}}
        created = self.ok("CreateQuickConnect", "--instance-id", self.inst, "--name", "CLI to BasicQueue", "--quick-connect-config", json.dumps(config))
        qc = self.ok("DescribeQuickConnect", "--instance-id", self.inst, "--quick-connect-id", created["QuickConnectId"])["QuickConnect"]
        self.assertEqual((qc["Name"], qc["QuickConnectARN"]), ("CLI to BasicQueue", created["QuickConnectARN"]))
        self.assertEqual(qc["QuickConnectConfig"], config)

    def test_task_templates(self):
        """CreateTaskTemplate, GetTaskTemplate."""
        created = self.ok(
            "CreateTaskTemplate", "--instance-id", self.inst, "--name", "CLI Callback", "--contact-flow-id", self.d["ContactFlowId"],
            "--fields", json.dumps([{"Id": {"Name": "Customer"}, "Type": "TEXT"},
                                    {"Id": {"Name": "Priority"}, "Type": "SINGLE_SELECT", "SingleSelectOptions": ["low", "high"]}]),
            "--constraints", json.dumps({"RequiredFields": [{"Id": {"Name": "Customer"}}]}),
        )
        got = self.ok("GetTaskTemplate", "--instance-id", self.inst, "--task-template-id", created["Id"])
        self.assertEqual((got["Name"], got["Arn"], got["Status"]), ("CLI Callback", created["Arn"], "ACTIVE"))
        self.assertEqual(len(got["Fields"]), 2)
        self.assertRecent(got["CreatedTime"])

    def test_constraint_on_unknown_field_is_property_validation(self):
        """CreateTaskTemplate: a constraint on an unknown field is PropertyValidationException."""
        self.fails("CreateTaskTemplate", "PropertyValidationException", "--instance-id", self.inst, "--name", "CLI Broken",
                   "--fields", json.dumps([{"Id": {"Name": "A"}, "Type": "TEXT"}]),
                   "--constraints", json.dumps({"ReadOnlyFields": [{"Id": {"Name": "B"}}]}), fragments=["B"])

    def test_email_addresses(self):
        """CreateEmailAddress, DescribeEmailAddress (CreateTimestamp stays the wire's string), SearchEmailAddresses."""
        created = self.ok("CreateEmailAddress", "--instance-id", self.inst, "--email-address", "cli-billing@example.com",
                          "--display-name", "CLI Billing", "--client-token", "cli-email-token")
        got = self.ok("DescribeEmailAddress", "--instance-id", self.inst, "--email-address-id", created["EmailAddressId"])
        self.assertEqual((got["EmailAddress"], got["DisplayName"], got["EmailAddressArn"]),
                         ("cli-billing@example.com", "CLI Billing", created["EmailAddressArn"]))
        self.assertRegex(got["CreateTimestamp"], ISO_DATETIME)
        criteria = {"StringCondition": {"FieldName": "EmailAddress", "Value": "CLI-BILLING@", "ComparisonType": "STARTS_WITH"}}
        found = self.ok("SearchEmailAddresses", "--instance-id", self.inst, "--search-criteria", json.dumps(criteria))
        self.assertEqual([e["EmailAddressId"] for e in found["EmailAddresses"]], [created["EmailAddressId"]])
        self.assertEqual(found["ApproximateTotalCount"], 1)

    def test_same_client_token_other_address_is_idempotency(self):
        """CreateEmailAddress: the same ClientToken for another address is IdempotencyException."""
        token = ["--client-token", "cli-idempotency-token"]
        self.ok("CreateEmailAddress", "--instance-id", self.inst, "--email-address", "cli-first@example.com", *token)
        self.fails("CreateEmailAddress", "IdempotencyException", "--instance-id", self.inst, "--email-address", "cli-second@example.com",
                   *token, fragments=["cli-idempotency-token"])

    def test_tags_by_arn(self):
        """TagResource, UntagResource, ListTagsForResource: the queue ARN round-trips in /tags/{resourceArn}."""
        arn = f"arn:aws:connect:us-east-1:000000000000:instance/{self.inst}/queue/{self.d['QueueId']}"
        self.ok("TagResource", "--resource-arn", arn, "--tags", "env=dev,team=cx")
        self.ok("UntagResource", "--resource-arn", arn, "--tag-keys", "team")
        self.assertEqual(self.ok("ListTagsForResource", "--resource-arn", arn)["tags"], {"env": "dev"})
        self.fails("ListTagsForResource", "ResourceNotFoundException", "--resource-arn", arn + "x")

    # Contacts (e2e/contacts_test.go).

    def contact_arn(self, contact_id):
        return f"{self.d['InstanceArn']}/contact/{contact_id}"

    def email_contact(self, *args, subject="Order question", body="<p>Hello, where is my order?</p>",
                      sender='{"EmailAddress": "jane.doe@example.com", "DisplayName": "Jane Doe"}'):
        """Starts an email contact to the default address; returns its ID and ARN (attached
        files' AssociatedResourceArn)."""
        message = {"MessageSourceType": "RAW", "RawMessage": {"Subject": subject, "Body": body, "ContentType": "text/html"}}
        contact_id = self.ok("StartEmailContact", "--instance-id", self.inst, "--destination-email-address", "support@connectlocal.email.connect.aws",
                             "--from-email-address", sender, "--email-message", json.dumps(message), *args)["ContactId"]
        return contact_id, self.contact_arn(contact_id)

    def union(self, value):
        """The single member a union value carries."""
        self.assertEqual(len(value), 1, f"want a one-member union, got {value}")
        return next(iter(value))

    def test_task_references_are_one_member_unions(self):
        """StartTaskContact, ListContactReferences: each reference type is its own one-member union."""
        references = {
            "site": {"Type": "URL", "Value": "https://example.com/case/1"}, "note": {"Type": "STRING", "Value": "call back"},
            "amount": {"Type": "NUMBER", "Value": "12.5"}, "due": {"Type": "DATE", "Value": "1767225600"},
            "owner": {"Type": "EMAIL", "Value": "owner@example.com"},
        }
        attachments = [{"FileName": "invoice.pdf", "S3Url": "https://bucket.s3.amazonaws.com/invoice.pdf"}]
        contact_id = self.ok("StartTaskContact", "--instance-id", self.inst, "--contact-flow-id", self.d["ContactFlowId"], "--name", "CLI references",
                             "--references", json.dumps(references), "--attachments", json.dumps(attachments))["ContactId"]
        refs = self.ok("ListContactReferences", "--instance-id", self.inst, "--contact-id", contact_id,
                       "--reference-types", "URL", "STRING", "NUMBER", "DATE", "EMAIL", "ATTACHMENT")["ReferenceSummaryList"]
        self.assertEqual({self.union(r): r[self.union(r)] for r in refs}, {
            "Url": {"Name": "site", "Value": "https://example.com/case/1"},
            "String": {"Name": "note", "Value": "call back"},
            "Number": {"Name": "amount", "Value": "12.5"},
            "Date": {"Name": "due", "Value": "1767225600"},
            "Email": {"Name": "owner", "Value": "owner@example.com"},
            "Attachment": {"Name": "invoice.pdf", "Value": "https://bucket.s3.amazonaws.com/invoice.pdf", "Status": "APPROVED"},
        })

    def test_create_contact_and_update_external_audio(self):
        """CreateContact, UpdateContact on external audio, DescribeContact (InitiationTimestamp as an ISO 8601 string)."""
        created = self.ok("CreateContact", "--instance-id", self.inst, "--channel", "VOICE", "--initiation-method", "TRANSFER", "--name", "CLI audio")
        self.assertEqual(created["ContactArn"], self.contact_arn(created["ContactId"]))
        self.ok("UpdateContact", "--instance-id", self.inst, "--contact-id", created["ContactId"], "--queue-info", f"Id={self.d['QueueId']}",
                "--customer-endpoint", "Type=TELEPHONE_NUMBER,Address=+14155550100")
        got = self.ok("DescribeContact", "--instance-id", self.inst, "--contact-id", created["ContactId"])["Contact"]
        self.assertEqual((got["Arn"], got["Channel"], got["InitiationMethod"]), (created["ContactArn"], "VOICE", "TRANSFER"))
        self.assertEqual(got["SegmentAttributes"]["connect:Subtype"]["ValueString"], "connect:ExternalAudio")
        self.assertEqual((got["QueueInfo"]["Id"], got["CustomerEndpoint"]["Address"]), (self.d["QueueId"], "+14155550100"))
        self.assertRecent(got["InitiationTimestamp"])

    def test_outbound_voice_and_webrtc(self):
        """StartOutboundVoiceContact, StartWebRTCContact."""
        voice = self.ok("StartOutboundVoiceContact", "--instance-id", self.inst, "--contact-flow-id", self.d["ContactFlowId"],
                        "--destination-phone-number", "+14155550100", "--queue-id", self.d["QueueId"])
        self.assertTrue(voice["ContactId"], voice)
        rtc = self.ok("StartWebRTCContact", "--instance-id", self.inst, "--contact-flow-id", self.d["ContactFlowId"],
                      "--participant-details", "DisplayName=Ana")
        self.assertTrue(rtc["ConnectionData"]["Meeting"]["MediaPlacement"]["AudioHostUrl"].startswith(server.url + "/"), rtc)
        self.assertTrue(rtc["ConnectionData"]["Attendee"]["JoinToken"] and rtc["ParticipantToken"] and rtc["ContactId"])

    def test_contact_attributes_tags_and_stop(self):
        """UpdateContactAttributes, GetContactAttributes, TagContact, UntagContact, StopContact; a second stop is ContactNotFoundException."""
        contact_id = self.ok("StartTaskContact", "--instance-id", self.inst, "--contact-flow-id", self.d["ContactFlowId"], "--name", "CLI task",
                             "--attributes", "a=1")["ContactId"]
        self.ok("UpdateContactAttributes", "--instance-id", self.inst, "--initial-contact-id", contact_id, "--attributes", "b=2")
        got = self.ok("GetContactAttributes", "--instance-id", self.inst, "--initial-contact-id", contact_id)
        self.assertEqual(got["Attributes"], {"a": "1", "b": "2"})
        self.ok("TagContact", "--instance-id", self.inst, "--contact-id", contact_id, "--tags", "team=cx,env=dev")
        self.ok("UntagContact", "--instance-id", self.inst, "--contact-id", contact_id, "--tag-keys", "team")
        self.ok("StopContact", "--instance-id", self.inst, "--contact-id", contact_id, "--disconnect-reason", "Code=done")
        c = self.ok("DescribeContact", "--instance-id", self.inst, "--contact-id", contact_id)["Contact"]
        self.assertEqual((c["Tags"], c["DisconnectReason"]), ({"env": "dev"}, "API"))
        self.assertRecent(c["DisconnectTimestamp"])
        self.fails("StopContact", "ContactNotFoundException", "--instance-id", self.inst, "--contact-id", contact_id, fragments=[contact_id])

    def test_search_contacts(self):
        """SearchContacts: by searchable attribute in a time range given as ISO 8601 strings."""
        contact_id = self.ok("StartTaskContact", "--instance-id", self.inst, "--contact-flow-id", self.d["ContactFlowId"], "--name", "CLI search",
                             "--attributes", "suite=cli-search")["ContactId"]
        now = datetime.datetime.now(datetime.timezone.utc)
        window = {"Type": "INITIATION_TIMESTAMP", "StartTime": (now - datetime.timedelta(hours=1)).isoformat(),
                  "EndTime": (now + datetime.timedelta(hours=1)).isoformat()}
        criteria = {"Channels": ["TASK"], "SearchableContactAttributes": {"Criteria": [{"Key": "suite", "Values": ["cli-search"]}]}}
        found = self.ok("SearchContacts", "--instance-id", self.inst, "--time-range", json.dumps(window), "--search-criteria", json.dumps(criteria))
        self.assertEqual([s["Id"] for s in found["Contacts"]], [contact_id])
        self.assertRecent(found["Contacts"][0]["InitiationTimestamp"])

    def test_email_contact_idempotency(self):
        """StartEmailContact: the same ClientToken for another subject is IdempotencyException."""
        self.email_contact("--client-token", "cli-email-1")
        p = aws("StartEmailContact", "--instance-id", self.inst, "--destination-email-address", "support@connectlocal.email.connect.aws",
                "--from-email-address", "EmailAddress=jane.doe@example.com",
                "--email-message", json.dumps({"MessageSourceType": "RAW", "RawMessage": {"Subject": "different", "Body": "x", "ContentType": "text/html"}}),
                "--client-token", "cli-email-1")
        self.assertNotEqual(p.returncode, 0, p.stdout)
        m = ERROR_LINE.search(p.stderr)
        self.assertIsNotNone(m, p.stderr)
        self.assertEqual((m.group(1), m.group(2)), ("IdempotencyException", "StartEmailContact"), p.stderr)

    # The email analytics pipeline (e2e/analytics_test.go).

    def test_email_analysis_references(self):
        """Email analysis: message files as one-member unions; CONTACT_ANALYSIS printed as botocore's SDK_UNKNOWN_MEMBER."""
        contact_id, arn = self.email_contact(subject="Refund for Maria Garcia", body=PII_EMAIL, sender="EmailAddress=maria.garcia@example.com")
        types = ["CONTACT_ANALYSIS", "EMAIL_MESSAGE", "EMAIL_MESSAGE_PLAIN_TEXT", "EMAIL_MESSAGE_REDACTED", "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED"]
        deadline = time.time() + 5
        while True:
            refs = self.ok("ListContactReferences", "--instance-id", self.inst, "--contact-id", contact_id, "--reference-types", *types)["ReferenceSummaryList"]
            # The CLI's botocore has no ContactAnalysis member: an unknown union member is
            # {"SDK_UNKNOWN_MEMBER": {"name": <the member's name>}}.
            if {"SDK_UNKNOWN_MEMBER": {"name": "ContactAnalysis"}} in refs:
                break
            self.assertLess(time.time(), deadline, f"timed out waiting for the analysis: {refs}")
            time.sleep(0.2)
        self.assertEqual(sorted(self.union(r) for r in refs),
                         ["EmailMessage", "EmailMessagePlainText", "EmailMessagePlainTextRedacted", "EmailMessageRedacted", "SDK_UNKNOWN_MEMBER"])
        redacted = next(r["EmailMessagePlainTextRedacted"] for r in refs if "EmailMessagePlainTextRedacted" in r)
        f = self.ok("GetAttachedFile", "--instance-id", self.inst, "--associated-resource-arn", arn, "--file-id", redacted["Arn"].rsplit("/", 1)[1])
        with urllib.request.urlopen(f["DownloadUrlMetadata"]["Url"], timeout=10) as resp:
            text = resp.read().decode()
        for pii in ("4111", "555-0142", "maria.garcia@example.com", "123-45-6789"):
            self.assertNotIn(pii, text)
        self.assertIn("[CREDIT_DEBIT_NUMBER]", text)

    # Attached files (e2e/files_test.go).

    def test_attached_file_life_cycle(self):
        """StartAttachedFileUpload, PUT with urllib, CompleteAttachedFileUpload, GetAttachedFile, BatchGetAttachedFileMetadata, DeleteAttachedFile."""
        _, arn = self.email_contact()
        body = b"name,amount\nann,12\n" * 100
        target = ["--instance-id", self.inst, "--associated-resource-arn", arn]
        up = self.ok("StartAttachedFileUpload", *target, "--file-name", "data.csv", "--file-size-in-bytes", str(len(body)),
                     "--file-use-case-type", "ATTACHMENT", "--tags", "team=billing")
        self.assertEqual((up["FileStatus"], up["FileArn"]), ("PROCESSING", f"{self.d['InstanceArn']}/file/{up['FileId']}"))
        self.assertRegex(up["CreationTime"], ISO_DATETIME)
        self.assertEqual(up["CreatedBy"], {"AWSIdentityArn": "arn:aws:iam::000000000000:user/test"})
        meta = up["UploadUrlMetadata"]
        self.assertEqual(meta["HeadersToInclude"], {"Content-Type": "text/csv"})
        put = urllib.request.Request(meta["Url"], data=body, method="PUT", headers=meta["HeadersToInclude"])
        with urllib.request.urlopen(put, timeout=10) as resp:
            self.assertEqual(resp.status, 200)
        self.ok("CompleteAttachedFileUpload", *target, "--file-id", up["FileId"])
        f = self.ok("GetAttachedFile", *target, "--file-id", up["FileId"])
        self.assertEqual((f["FileStatus"], f["FileName"], f["FileSizeInBytes"], f["Tags"]), ("APPROVED", "data.csv", len(body), {"team": "billing"}))
        self.assertEqual(f["CreationTime"], up["CreationTime"])
        with urllib.request.urlopen(f["DownloadUrlMetadata"]["Url"], timeout=10) as resp:
            self.assertEqual(resp.read(), body)
        unknown = "00000000-0000-4000-8000-000000000000"
        batch = self.ok("BatchGetAttachedFileMetadata", *target, "--file-ids", up["FileId"], unknown)
        self.assertEqual([(x["FileId"], x["FileStatus"]) for x in batch["Files"]], [(up["FileId"], "APPROVED")])
        self.assertEqual([(x["FileId"], x["ErrorCode"]) for x in batch["Errors"]], [(unknown, "404")])
        self.ok("DeleteAttachedFile", *target, "--file-id", up["FileId"])
        self.fails("GetAttachedFile", "ResourceNotFoundException", *target, "--file-id", up["FileId"], fragments=[up["FileId"]])

    def test_disallowed_extension_is_invalid_request(self):
        """StartAttachedFileUpload: a disallowed extension is InvalidRequestException (the CLI prints no Reason)."""
        _, arn = self.email_contact()
        self.fails("StartAttachedFileUpload", "InvalidRequestException", "--instance-id", self.inst, "--associated-resource-arn", arn,
                   "--file-name", "setup.exe", "--file-size-in-bytes", "10", "--file-use-case-type", "ATTACHMENT", fragments=['".exe"'])

    def test_per_email_quota_is_service_quota_exceeded(self):
        """StartAttachedFileUpload: beyond 40 MB per email is ServiceQuotaExceededException (the CLI prints no Reason;
        the size quota takes 3 uploads where the 10-file one takes 11 aws processes)."""
        _, arn = self.email_contact()
        target = ["--instance-id", self.inst, "--associated-resource-arn", arn, "--file-use-case-type", "ATTACHMENT"]
        for name in ("a.mp4", "b.mp4"):
            self.ok("StartAttachedFileUpload", *target, "--file-name", name, "--file-size-in-bytes", str(20 << 20))
        self.fails("StartAttachedFileUpload", "ServiceQuotaExceededException", *target, "--file-name", "c.txt", "--file-size-in-bytes", "1",
                   fragments=["41943040"])

    def test_attached_files_configuration(self):
        """DescribeAttachedFilesConfiguration, ListAttachedFilesConfigurations, UpdateAttachedFilesConfiguration."""
        email = self.ok("DescribeAttachedFilesConfiguration", "--instance-id", self.inst, "--attachment-scope", "EMAIL")["AttachedFilesConfiguration"]
        self.assertEqual(email["MaximumSizeLimitInBytes"], 20 << 20)
        self.assertIn({"Extension": "pdf"}, email["ExtensionConfiguration"]["AllowedExtensions"])
        listed = self.ok("ListAttachedFilesConfigurations", "--instance-id", self.inst)["AttachedFilesConfigurations"]
        self.assertEqual([x["AttachmentScope"] for x in listed], ["EMAIL", "CHAT", "CASE", "TASK"])
        updated = self.ok("UpdateAttachedFilesConfiguration", "--instance-id", self.inst, "--attachment-scope", "CASE",
                          "--maximum-size-limit-in-bytes", "1000", "--extension-configuration",
                          json.dumps({"AllowedExtensions": [{"Extension": "PDF"}, {"Extension": "zip"}]}))
        self.assertEqual(updated["MaximumSizeLimitInBytes"], 1000)
        self.assertEqual(updated["ExtensionConfiguration"]["AllowedExtensions"], [{"Extension": "pdf"}, {"Extension": "zip"}])
        self.assertRecent(updated["LastModifiedTime"])

    # Rules (e2e/rules_test.go).

    def test_rules(self):
        """CreateRule, DescribeRule, UpdateRule, ListRules, DeleteRule; a second rule of the same name is ResourceConflictException."""
        category = {"ActionType": "ASSIGN_CONTACT_CATEGORY", "AssignContactCategoryAction": {}}
        task = {"ActionType": "CREATE_TASK", "TaskAction": {"Name": "Call back", "ContactFlowId": self.d["ContactFlowId"]}}
        create = ["--instance-id", self.inst, "--name", "cli-angry-customers", "--publish-status", "PUBLISHED",
                  "--trigger-event-source", "EventSourceName=OnEmailAnalysisAvailable", "--function", NEVER_MATCHES,
                  "--actions", json.dumps([category, task])]
        created = self.ok("CreateRule", *create, "--client-token", "cli-rule-1")
        self.assertEqual(created["RuleArn"], f"{self.d['InstanceArn']}/rule/{created['RuleId']}")
        r = self.ok("DescribeRule", "--instance-id", self.inst, "--rule-id", created["RuleId"])["Rule"]
        self.assertEqual((r["Name"], r["Function"], r["Actions"][0]), ("cli-angry-customers", NEVER_MATCHES, category))
        self.assertEqual(r["Actions"][1]["TaskAction"]["Name"], "Call back")
        self.assertRecent(r["CreatedTime"])
        self.fails("CreateRule", "ResourceConflictException", *create, "--client-token", "cli-rule-2", fragments=["cli-angry-customers"])
        self.ok("UpdateRule", "--instance-id", self.inst, "--rule-id", created["RuleId"], "--name", "cli-angry-customers",
                "--function", INBOUND_EMAIL, "--actions", json.dumps([category]), "--publish-status", "DRAFT")
        drafts = self.ok("ListRules", "--instance-id", self.inst, "--publish-status", "DRAFT", "--event-source-name", "OnEmailAnalysisAvailable")
        mine = [s for s in drafts["RuleSummaryList"] if s["RuleId"] == created["RuleId"]]
        self.assertEqual(len(mine), 1, drafts)
        self.assertEqual(mine[0]["ActionSummaries"], [{"ActionType": "ASSIGN_CONTACT_CATEGORY"}])
        self.assertRecent(mine[0]["LastUpdatedTime"])
        self.ok("DeleteRule", "--instance-id", self.inst, "--rule-id", created["RuleId"])
        self.fails("DescribeRule", "ResourceNotFoundException", "--instance-id", self.inst, "--rule-id", created["RuleId"])

    def test_untagged_resource_has_empty_tags(self):
        """ListTagsForResource: an untagged resource prints tags {}, present and empty."""
        out = self.ok("ListTagsForResource", "--resource-arn", f"{self.d['InstanceArn']}/operating-hours/{self.d['HoursOfOperationId']}")
        self.assertEqual(out, {"tags": {}})

    @not_recorded
    def test_unimplemented_operation(self):
        """An unimplemented operation (ListUsers) is NotImplementedException naming it."""
        self.fails("ListUsers", "NotImplementedException", "--instance-id", self.inst, fragments=["ListUsers"])

    def test_wrong_secret(self):
        """A wrong secret is InvalidSignatureException."""
        self.fails("DescribeInstance", "InvalidSignatureException", "--instance-id", self.inst, secret="wrong", fragments=["signature"])

    def test_unknown_access_key(self):
        """An unknown access key is UnrecognizedClientException."""
        self.fails("DescribeInstance", "UnrecognizedClientException", "--instance-id", self.inst, key="AKIDUNKNOWN",
                   fragments=["security token"])

    def test_accounts_are_isolated(self):
        """Accounts are isolated: another account's key does not find the default instance."""
        other = dict(key=OTHER_KEY, secret=OTHER_SECRET)
        self.fails("DescribeInstance", "ResourceNotFoundException", "--instance-id", self.inst, **other)
        self.assertEqual(self.ok("ListInstances", **other).get("InstanceSummaryList", []), [])


if __name__ == "__main__":
    run_concurrently(sys.modules[__name__], workers=int(os.environ.get("CLI_WORKERS", "3")))

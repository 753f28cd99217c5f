"""The AWS CLI (`aws connect ... --endpoint-url URL --output json`) against a real
connectlocal process: every implemented operation, and the failure paths where
clients differ. Each call is a real `aws` process and its stdout is parsed as JSON;
an error is the CLI's non-zero exit and its "An error occurred (Code) when calling the
Op operation: message" line. The CLI prints no modelled error members (an
InvalidContactFlowException's problems, a PropertyValidationException's PropertyList):
those are checked by the SDK suites. Mirrors e2e/foundation_test.go.

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
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from connectlocal_server import OTHER_KEY, OTHER_SECRET, Results, Server, not_recorded, run_concurrently  # noqa: E402

MINIMAL_FLOW = (
    '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a",'
    '"Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}'
)
ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
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
    """The CLI's name for an operation: DescribeQueue -> describe-queue."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower()


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

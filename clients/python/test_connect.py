"""boto3 against a real connectlocal process: every implemented operation, and the
failure paths where clients differ (typed errors and their modelled members,
timestamps, ARNs in the path, auth errors). Mirrors e2e/foundation_test.go.

Run: python3 -m unittest -v test_connect   (from clients/python)
"""

import datetime
import re
import unittest

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

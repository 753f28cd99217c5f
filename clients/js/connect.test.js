// The AWS SDK for JavaScript v3 (@aws-sdk/client-connect) against a real connectlocal
// process: every implemented operation, and the failure paths where clients differ
// (typed errors and their modelled members, timestamps, ARNs in the path, auth errors).
// Mirrors e2e/foundation_test.go. Run: node --test (from clients/js).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import {
  ConnectClient,
  ConnectServiceException,
  ContactFlowNotPublishedException,
  CreateContactFlowCommand,
  CreateEmailAddressCommand,
  CreateHoursOfOperationCommand,
  CreateInstanceCommand,
  CreateQueueCommand,
  CreateQuickConnectCommand,
  CreateTaskTemplateCommand,
  DeleteInstanceCommand,
  DescribeContactFlowCommand,
  DescribeEmailAddressCommand,
  DescribeHoursOfOperationCommand,
  DescribeInstanceCommand,
  DescribeQueueCommand,
  DescribeQuickConnectCommand,
  DuplicateResourceException,
  GetTaskTemplateCommand,
  IdempotencyException,
  InvalidContactFlowException,
  InvalidParameterException,
  InvalidRequestException,
  ListContactFlowsCommand,
  ListHoursOfOperationsCommand,
  ListInstancesCommand,
  ListQueuesCommand,
  ListTagsForResourceCommand,
  ListUsersCommand,
  PropertyValidationException,
  ResourceNotFoundException,
  SearchEmailAddressesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListInstances,
} from "@aws-sdk/client-connect";
import { startServer, OTHER } from "./server.js";
import { check, record, writeResults, anyFailed } from "./results.js";

const minimalFlow =
  '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';
const isoDatetime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let server, c, d;

// client makes a ConnectClient for the server with the given keys. maxAttempts: 1 keeps
// the error tests fast: the SDK would otherwise retry a 5xx such as the 501 of an
// unimplemented operation.
function client(accessKeyId = "test", secretAccessKey = "test") {
  return record(
    new ConnectClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    }),
  );
}

// rejects awaits a call that must fail with the typed error errorClass (or, given a
// string, the error code of an error the model has no class for) and a message
// containing each fragment. It returns the error.
async function rejects(promise, errorClass, ...fragments) {
  const name = typeof errorClass === "string" ? errorClass : errorClass.name;
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `want ${name}, the call succeeded`);
  if (typeof errorClass !== "string") {
    assert.ok(err instanceof errorClass, `want an instance of ${name}, got ${err?.constructor?.name}: ${err}`);
  }
  assert.ok(err instanceof ConnectServiceException, `want a ConnectServiceException, got ${err}`);
  assert.equal(err.name, name, `error: ${err}`);
  for (const f of fragments) assert.ok(err.message.includes(f), `message ${JSON.stringify(err.message)} does not mention ${JSON.stringify(f)}`);
  return err;
}

function recent(date) {
  assert.ok(date instanceof Date, `want a Date, got ${typeof date}: ${date}`);
  assert.ok(Math.abs(Date.now() - date.getTime()) < 10 * 60 * 1000, `${date.toISOString()} is not recent`);
}

before(async () => {
  server = await startServer();
  d = server.defaults;
  c = client();
});

after(async () => {
  writeResults("js");
  await server?.stop({ keepLog: anyFailed() });
});

check("DescribeInstance: the default instance, CreatedTime as a Date", async () => {
  const { Instance: inst } = await c.send(new DescribeInstanceCommand({ InstanceId: d.InstanceId }));
  assert.equal(inst.InstanceAlias, "connectlocal");
  assert.equal(inst.InstanceStatus, "ACTIVE");
  assert.equal(inst.Arn, `arn:aws:connect:us-east-1:000000000000:instance/${d.InstanceId}`);
  assert.equal(inst.Arn, d.InstanceArn);
  recent(inst.CreatedTime);
});

check("CreateInstance, DescribeInstance by ARN, its defaults, DeleteInstance", async () => {
  const created = await c.send(
    new CreateInstanceCommand({
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: "js-lifecycle",
      InboundCallsEnabled: true,
      OutboundCallsEnabled: false,
      Tags: { team: "a" },
    }),
  );
  const { Instance: inst } = await c.send(new DescribeInstanceCommand({ InstanceId: created.Arn }));
  assert.equal(inst.Id, created.Id);
  assert.equal(inst.OutboundCallsEnabled, false);
  assert.deepEqual(inst.Tags, { team: "a" });
  recent(inst.CreatedTime);

  const queues = (await c.send(new ListQueuesCommand({ InstanceId: created.Id }))).QueueSummaryList;
  assert.deepEqual(queues.map((q) => q.Name), ["BasicQueue"]);
  const emails = (await c.send(new SearchEmailAddressesCommand({ InstanceId: created.Id }))).EmailAddresses;
  assert.deepEqual(emails.map((e) => e.EmailAddress), ["support@js-lifecycle.email.connect.aws"]);

  await c.send(new DeleteInstanceCommand({ InstanceId: created.Id }));
  await rejects(c.send(new DescribeInstanceCommand({ InstanceId: created.Id })), ResourceNotFoundException, created.Id);
});

check("ListInstances: MaxResults 1 follows NextToken, and paginateListInstances", async () => {
  for (const alias of ["js-page-1", "js-page-2"]) {
    await c.send(
      new CreateInstanceCommand({ IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: alias, InboundCallsEnabled: true, OutboundCallsEnabled: true }),
    );
  }
  const byHand = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await c.send(new ListInstancesCommand({ MaxResults: 1, NextToken }));
    assert.ok(page.InstanceSummaryList.length <= 1, `page of ${page.InstanceSummaryList.length}`);
    byHand.push(...page.InstanceSummaryList.map((s) => s.InstanceAlias));
    NextToken = page.NextToken;
    assert.ok(++pages < 50, "NextToken never ends");
  } while (NextToken);
  assert.ok(pages >= 3, `${pages} pages for ${byHand}`);
  const paginated = [];
  for await (const page of paginateListInstances({ client: c, pageSize: 1 }, {})) {
    assert.ok(page.InstanceSummaryList.length <= 1);
    paginated.push(...page.InstanceSummaryList.map((s) => s.InstanceAlias));
  }
  assert.deepEqual(paginated, byHand);
  assert.equal(new Set(byHand).size, byHand.length, `duplicates in ${byHand}`);
  const order = ["connectlocal", "js-page-1", "js-page-2"].map((a) => byHand.indexOf(a));
  assert.ok(order[0] >= 0 && order[0] < order[1] && order[1] < order[2], `aliases ${byHand}`);
});

check("CreateInstance: a bad alias is InvalidRequestException", async () => {
  await rejects(
    c.send(new CreateInstanceCommand({ IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: "not allowed!", InboundCallsEnabled: true, OutboundCallsEnabled: true })),
    InvalidRequestException,
    "1 validation error detected",
    "at 'instanceAlias'",
    "regular expression pattern",
  );
});

check("CreateContactFlow, DescribeContactFlow, ListContactFlows", async () => {
  const created = await c.send(
    new CreateContactFlowCommand({ InstanceId: d.InstanceId, Name: "JS Main", Type: "CONTACT_FLOW", Content: minimalFlow, Tags: { k: "v" } }),
  );
  assert.equal(created.FlowContentSha256.length, 64);
  const { ContactFlow: f } = await c.send(new DescribeContactFlowCommand({ InstanceId: d.InstanceId, ContactFlowId: created.ContactFlowId }));
  assert.equal(f.Arn, created.ContactFlowArn);
  assert.equal(f.Content, minimalFlow);
  assert.equal(f.Status, "PUBLISHED");
  assert.equal(f.State, "ACTIVE");
  assert.deepEqual(f.Tags, { k: "v" });
  recent(f.LastModifiedTime);
  const list = (await c.send(new ListContactFlowsCommand({ InstanceId: d.InstanceId, ContactFlowTypes: ["CONTACT_FLOW"] }))).ContactFlowSummaryList;
  const names = list.map((s) => s.Name);
  assert.ok(names.includes("Default inbound flow") && names.includes("JS Main"), `flows ${names}`);
  assert.ok(list.every((s) => s.ContactFlowType === "CONTACT_FLOW"));
  const inbound = list.find((s) => s.Name === "Default inbound flow");
  assert.equal(inbound.Id, d.ContactFlowId);
});

check("DescribeContactFlow: a SAVED flow is ContactFlowNotPublishedException, and found as <id>:$SAVED", async () => {
  const saved = await c.send(
    new CreateContactFlowCommand({ InstanceId: d.InstanceId, Name: "JS Draft", Type: "CONTACT_FLOW", Content: minimalFlow, Status: "SAVED" }),
  );
  await rejects(c.send(new DescribeContactFlowCommand({ InstanceId: d.InstanceId, ContactFlowId: saved.ContactFlowId })), ContactFlowNotPublishedException);
  const { ContactFlow: f } = await c.send(new DescribeContactFlowCommand({ InstanceId: d.InstanceId, ContactFlowId: `${saved.ContactFlowId}:$SAVED` }));
  assert.equal(f.Name, "JS Draft");
  assert.equal(f.Status, "SAVED");
});

check("CreateContactFlow: an unknown Type is InvalidParameterException", async () => {
  await rejects(
    c.send(new CreateContactFlowCommand({ InstanceId: d.InstanceId, Name: "x", Type: "NOT_A_TYPE", Content: minimalFlow })),
    InvalidParameterException,
    "at 'type'",
    "enum value set",
  );
});

check("CreateContactFlow: content that is no flow is InvalidContactFlowException with problems", async () => {
  const err = await rejects(
    c.send(new CreateContactFlowCommand({ InstanceId: d.InstanceId, Name: "bad", Type: "CONTACT_FLOW", Content: "not json" })),
    InvalidContactFlowException,
  );
  assert.ok(Array.isArray(err.problems) && err.problems.length > 0, `problems: ${JSON.stringify(err.problems)}`);
  assert.ok(err.problems[0].message, `problems: ${JSON.stringify(err.problems)}`);
  assert.equal(err.$metadata.httpStatusCode, 400);
});

check("CreateHoursOfOperation, DescribeHoursOfOperation, ListHoursOfOperations", async () => {
  const created = await c.send(
    new CreateHoursOfOperationCommand({
      InstanceId: d.InstanceId,
      Name: "JS Office",
      TimeZone: "Europe/Paris",
      Config: [{ Day: "MONDAY", StartTime: { Hours: 9, Minutes: 0 }, EndTime: { Hours: 17, Minutes: 30 } }],
    }),
  );
  const { HoursOfOperation: h } = await c.send(
    new DescribeHoursOfOperationCommand({ InstanceId: d.InstanceId, HoursOfOperationId: created.HoursOfOperationId }),
  );
  assert.equal(h.Name, "JS Office");
  assert.equal(h.TimeZone, "Europe/Paris");
  assert.equal(h.Config[0].EndTime.Minutes, 30);
  const list = (await c.send(new ListHoursOfOperationsCommand({ InstanceId: d.InstanceId }))).HoursOfOperationSummaryList;
  const names = list.map((s) => s.Name);
  assert.ok(names.includes("Basic Hours") && names.includes("JS Office"), `hours ${names}`);
  const basic = (await c.send(new DescribeHoursOfOperationCommand({ InstanceId: d.InstanceId, HoursOfOperationId: d.HoursOfOperationId }))).HoursOfOperation;
  assert.equal(basic.Name, "Basic Hours");
  assert.equal(basic.Config.length, 7);
});

check("CreateQueue, DescribeQueue, ListQueues; the same name twice is DuplicateResourceException", async () => {
  const created = await c.send(
    new CreateQueueCommand({ InstanceId: d.InstanceId, Name: "JS Sales", HoursOfOperationId: d.HoursOfOperationId, MaxContacts: 5 }),
  );
  const { Queue: q } = await c.send(new DescribeQueueCommand({ InstanceId: d.InstanceId, QueueId: created.QueueId }));
  assert.equal(q.Name, "JS Sales");
  assert.equal(q.QueueArn, created.QueueArn);
  assert.equal(q.MaxContacts, 5);
  assert.equal(q.Status, "ENABLED");
  const list = (await c.send(new ListQueuesCommand({ InstanceId: d.InstanceId, QueueTypes: ["STANDARD"] }))).QueueSummaryList;
  const names = list.map((s) => s.Name);
  assert.ok(names.includes("BasicQueue") && names.includes("JS Sales"), `queues ${names}`);
  assert.ok(list.every((s) => s.QueueType === "STANDARD"));
  await rejects(
    c.send(new CreateQueueCommand({ InstanceId: d.InstanceId, Name: "JS Sales", HoursOfOperationId: d.HoursOfOperationId })),
    DuplicateResourceException,
    "JS Sales",
  );
});

check("DescribeQueue: an unknown id is ResourceNotFoundException", async () => {
  const err = await rejects(
    c.send(new DescribeQueueCommand({ InstanceId: d.InstanceId, QueueId: "no-such-queue" })),
    ResourceNotFoundException,
    "no-such-queue",
  );
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.ok(err.$metadata.requestId, "no request id");
});

check("CreateQuickConnect, DescribeQuickConnect", async () => {
  const flows = (await c.send(new ListContactFlowsCommand({ InstanceId: d.InstanceId, ContactFlowTypes: ["QUEUE_TRANSFER"] }))).ContactFlowSummaryList;
  assert.ok(flows.length > 0, "no QUEUE_TRANSFER flow");
  const created = await c.send(
    new CreateQuickConnectCommand({
      InstanceId: d.InstanceId,
      Name: "JS to BasicQueue",
      QuickConnectConfig: { QuickConnectType: "QUEUE", QueueConfig: { QueueId: d.QueueId, ContactFlowId: flows[0].Id } },
    }),
  );
  const { QuickConnect: qc } = await c.send(new DescribeQuickConnectCommand({ InstanceId: d.InstanceId, QuickConnectId: created.QuickConnectId }));
  assert.equal(qc.Name, "JS to BasicQueue");
  assert.equal(qc.QuickConnectARN, created.QuickConnectARN);
  assert.equal(qc.QuickConnectConfig.QuickConnectType, "QUEUE");
  assert.equal(qc.QuickConnectConfig.QueueConfig.QueueId, d.QueueId);
});

check("CreateTaskTemplate, GetTaskTemplate", async () => {
  const input = {
    InstanceId: d.InstanceId,
    Name: "JS Callback",
    ContactFlowId: d.ContactFlowId,
    ClientToken: "js-template-token",
    Fields: [
      { Id: { Name: "Customer" }, Type: "TEXT" },
      { Id: { Name: "Priority" }, Type: "SINGLE_SELECT", SingleSelectOptions: ["low", "high"] },
    ],
    Constraints: { RequiredFields: [{ Id: { Name: "Customer" } }] },
    Defaults: { DefaultFieldValues: [{ Id: { Name: "Priority" }, DefaultValue: "low" }] },
  };
  const created = await c.send(new CreateTaskTemplateCommand(input));
  const got = await c.send(new GetTaskTemplateCommand({ InstanceId: d.InstanceId, TaskTemplateId: created.Id }));
  assert.equal(got.Name, "JS Callback");
  assert.equal(got.Arn, created.Arn);
  assert.equal(got.Status, "ACTIVE");
  assert.equal(got.Fields.length, 2);
  recent(got.CreatedTime);
  const again = await c.send(new CreateTaskTemplateCommand(input));
  assert.equal(again.Id, created.Id, "the same ClientToken must replay the first answer");
});

check("CreateTaskTemplate: a constraint on an unknown field is PropertyValidationException with PropertyList", async () => {
  const err = await rejects(
    c.send(
      new CreateTaskTemplateCommand({
        InstanceId: d.InstanceId,
        Name: "JS Broken",
        Fields: [{ Id: { Name: "A" }, Type: "TEXT" }],
        Constraints: { ReadOnlyFields: [{ Id: { Name: "B" } }] },
      }),
    ),
    PropertyValidationException,
  );
  // The body's Message member is the error's message in JS v3.
  assert.ok(err.message.includes("B"), `message ${err.message}`);
  assert.equal(err.PropertyList?.length, 1, `PropertyList: ${JSON.stringify(err.PropertyList)}`);
  assert.equal(err.PropertyList[0].Reason, "REFERENCED_RESOURCE_NOT_FOUND");
  assert.ok(err.PropertyList[0].PropertyPath && err.PropertyList[0].Message, JSON.stringify(err.PropertyList));
});

check("CreateEmailAddress, DescribeEmailAddress (CreateTimestamp stays a string), SearchEmailAddresses", async () => {
  const created = await c.send(
    new CreateEmailAddressCommand({ InstanceId: d.InstanceId, EmailAddress: "js-billing@example.com", DisplayName: "JS Billing", ClientToken: "js-email-token" }),
  );
  const got = await c.send(new DescribeEmailAddressCommand({ InstanceId: d.InstanceId, EmailAddressId: created.EmailAddressId }));
  assert.equal(got.EmailAddress, "js-billing@example.com");
  assert.equal(got.DisplayName, "JS Billing");
  assert.equal(got.EmailAddressArn, created.EmailAddressArn);
  assert.equal(typeof got.CreateTimestamp, "string");
  assert.match(got.CreateTimestamp, isoDatetime);
  const support = await c.send(new DescribeEmailAddressCommand({ InstanceId: d.InstanceId, EmailAddressId: d.EmailAddressId }));
  assert.equal(support.EmailAddress, "support@connectlocal.email.connect.aws");
  assert.match(support.CreateTimestamp, isoDatetime);
  const found = await c.send(
    new SearchEmailAddressesCommand({
      InstanceId: d.InstanceId,
      SearchCriteria: { StringCondition: { FieldName: "EmailAddress", Value: "JS-BILLING@", ComparisonType: "STARTS_WITH" } },
    }),
  );
  assert.deepEqual(found.EmailAddresses.map((e) => e.EmailAddressId), [created.EmailAddressId]);
  assert.equal(found.ApproximateTotalCount, 1);
});

check("CreateEmailAddress: the same ClientToken for another address is IdempotencyException", async () => {
  await c.send(new CreateEmailAddressCommand({ InstanceId: d.InstanceId, EmailAddress: "js-first@example.com", ClientToken: "js-idempotency-token" }));
  const err = await rejects(
    c.send(new CreateEmailAddressCommand({ InstanceId: d.InstanceId, EmailAddress: "js-second@example.com", ClientToken: "js-idempotency-token" })),
    IdempotencyException,
    "js-idempotency-token",
  );
  assert.equal(err.$metadata.httpStatusCode, 409);
});

check("TagResource, UntagResource, ListTagsForResource: the queue ARN round-trips in /tags/{resourceArn}", async () => {
  const queueArn = `arn:aws:connect:us-east-1:000000000000:instance/${d.InstanceId}/queue/${d.QueueId}`;
  await c.send(new TagResourceCommand({ resourceArn: queueArn, tags: { env: "dev", team: "cx" } }));
  await c.send(new UntagResourceCommand({ resourceArn: queueArn, tagKeys: ["team"] }));
  const { tags } = await c.send(new ListTagsForResourceCommand({ resourceArn: queueArn }));
  assert.deepEqual(tags, { env: "dev" });
  const { Queue: q } = await c.send(new DescribeQueueCommand({ InstanceId: d.InstanceId, QueueId: d.QueueId }));
  assert.equal(q.Tags?.env, "dev");
  await rejects(c.send(new ListTagsForResourceCommand({ resourceArn: queueArn + "x" })), ResourceNotFoundException);
});

check(
  "An unimplemented operation (ListUsers) is NotImplementedException naming it",
  async () => {
    const err = await rejects(c.send(new ListUsersCommand({ InstanceId: d.InstanceId })), "NotImplementedException", "ListUsers");
    assert.equal(err.$metadata.httpStatusCode, 501);
  },
  { record: false },
);

check("A wrong secret is InvalidSignatureException", async () => {
  await rejects(client("test", "wrong").send(new DescribeInstanceCommand({ InstanceId: d.InstanceId })), "InvalidSignatureException", "signature");
});

check("An unknown access key is UnrecognizedClientException", async () => {
  await rejects(client("AKIDUNKNOWN", "x").send(new DescribeInstanceCommand({ InstanceId: d.InstanceId })), "UnrecognizedClientException", "security token");
});

check("Accounts are isolated: another account's key does not find the default instance", async () => {
  const other = client(OTHER.accessKeyId, OTHER.secretAccessKey);
  await rejects(other.send(new DescribeInstanceCommand({ InstanceId: d.InstanceId })), ResourceNotFoundException);
  const list = await other.send(new ListInstancesCommand({}));
  assert.deepEqual(list.InstanceSummaryList ?? [], []);
});

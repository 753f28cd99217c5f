// The AWS SDK for JavaScript v3 (@aws-sdk/client-connect) against a real connectlocal
// process: every implemented operation, and the failure paths where clients differ
// (typed errors and their modelled members and Reason unions, timestamps, union members,
// ARNs in the path, auth errors). Mirrors e2e/foundation_test.go, contacts_test.go,
// files_test.go, rules_test.go and analytics_test.go. Run: node --test (from clients/js).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import {
  BatchGetAttachedFileMetadataCommand,
  CompleteAttachedFileUploadCommand,
  ConnectClient,
  ConnectServiceException,
  ContactFlowNotPublishedException,
  ContactNotFoundException,
  CreateContactCommand,
  CreateContactFlowCommand,
  CreateEmailAddressCommand,
  CreateHoursOfOperationCommand,
  CreateInstanceCommand,
  CreateQueueCommand,
  CreateQuickConnectCommand,
  CreateRuleCommand,
  CreateTaskTemplateCommand,
  DeleteAttachedFileCommand,
  DeleteInstanceCommand,
  DeleteRuleCommand,
  DescribeAttachedFilesConfigurationCommand,
  DescribeContactCommand,
  DescribeContactFlowCommand,
  DescribeEmailAddressCommand,
  DescribeHoursOfOperationCommand,
  DescribeInstanceCommand,
  DescribeQueueCommand,
  DescribeQuickConnectCommand,
  DescribeRuleCommand,
  DuplicateResourceException,
  GetAttachedFileCommand,
  GetContactAttributesCommand,
  GetTaskTemplateCommand,
  IdempotencyException,
  InvalidContactFlowException,
  InvalidParameterException,
  InvalidRequestException,
  ListAttachedFilesConfigurationsCommand,
  ListContactFlowsCommand,
  ListContactReferencesCommand,
  ListHoursOfOperationsCommand,
  ListInstancesCommand,
  ListQueuesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListUsersCommand,
  PropertyValidationException,
  ResourceConflictException,
  ResourceNotFoundException,
  SearchContactsCommand,
  SearchEmailAddressesCommand,
  ServiceQuotaExceededException,
  StartAttachedFileUploadCommand,
  StartEmailContactCommand,
  StartOutboundVoiceContactCommand,
  StartTaskContactCommand,
  StartWebRTCContactCommand,
  StopContactCommand,
  TagContactCommand,
  TagResourceCommand,
  UntagContactCommand,
  UntagResourceCommand,
  UpdateAttachedFilesConfigurationCommand,
  UpdateContactAttributesCommand,
  UpdateContactCommand,
  UpdateRuleCommand,
  paginateListInstances,
  paginateListRules,
  paginateSearchContacts,
} from "@aws-sdk/client-connect";
import { startServer, OTHER } from "./server.js";
import { check, record, writeResults, anyFailed } from "./results.js";

const minimalFlow =
  '{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}';
const isoDatetime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
// An email with one value of each kind of PII the analysis redacts (e2e/analytics_test.go).
const piiEmail = `<html><body><p>Dear support,</p>
<p>My name is Maria Garcia and my card <b>4111 1111 1111 1111</b> was charged twice. Please refund me.</p>
<p>Call me at (415) 555-0142 or write to <a href="mailto:maria.garcia@example.com">maria.garcia@example.com</a>.</p>
<p>My SSN is 123-45-6789.</p></body></html>`;
// A rule function on OnEmailAnalysisAvailable that no email of the suite matches, so the
// rules the tests publish never fire.
const neverMatches =
  '{"Version":"2022-11-25","RuleFunction":{"Operator":"OR","Operands":[{"Operator":"CONTAINS_ANY","Operands":["js-no-such-word"],"ComparisonValue":"$.ContactLens.Email.ExactMatch.Text","Negate":false}]}}';
const inboundEmail =
  '{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY","Operands":["INBOUND"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}';

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

// union names the single member a union value carries (a ReferenceSummary, a Reason).
function union(value) {
  const keys = Object.keys(value ?? {}).filter((k) => value[k] !== undefined);
  assert.equal(keys.length, 1, `want a one-member union, got ${JSON.stringify(value)}`);
  return keys[0];
}

// eventually retries check (an async function returning a truthy value when done) for up
// to 5 s and returns its last value.
async function eventually(what, check) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await check();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function contactArn(id) {
  return `${d.InstanceArn}/contact/${id}`;
}

// emailInput is a StartEmailContact request to the default address.
function emailInput({ subject = "Order question", body = "<p>Hello, where is my order?</p>", ...more } = {}) {
  return {
    InstanceId: d.InstanceId,
    DestinationEmailAddress: "support@connectlocal.email.connect.aws",
    FromEmailAddress: { EmailAddress: "jane.doe@example.com", DisplayName: "Jane Doe" },
    EmailMessage: { MessageSourceType: "RAW", RawMessage: { Subject: subject, Body: body, ContentType: "text/html" } },
    ...more,
  };
}

// emailContact starts an email contact and returns its ID and ARN, which attached files
// name as their AssociatedResourceArn.
async function emailContact(more) {
  const { ContactId } = await c.send(new StartEmailContactCommand(emailInput(more)));
  return { id: ContactId, arn: contactArn(ContactId) };
}

function references(ContactId, ...ReferenceTypes) {
  return c.send(new ListContactReferencesCommand({ InstanceId: d.InstanceId, ContactId, ReferenceTypes })).then((r) => r.ReferenceSummaryList);
}

// download fetches an APPROVED attached file through GetAttachedFile and its URL.
async function download(arn, FileId) {
  const f = await c.send(new GetAttachedFileCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileId }));
  assert.equal(f.FileStatus, "APPROVED");
  const resp = await fetch(f.DownloadUrlMetadata.Url);
  assert.equal(resp.status, 200, `download ${FileId}`);
  return { file: f, resp, body: Buffer.from(await resp.arrayBuffer()) };
}

function fileId(fileArn) {
  return fileArn.slice(fileArn.lastIndexOf("/") + 1);
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

// Contacts (e2e/contacts_test.go).

check("StartTaskContact, ListContactReferences: each reference type is its own one-member union", async () => {
  const { ContactId } = await c.send(
    new StartTaskContactCommand({
      InstanceId: d.InstanceId,
      ContactFlowId: d.ContactFlowId,
      Name: "JS references",
      References: {
        site: { Type: "URL", Value: "https://example.com/case/1" },
        note: { Type: "STRING", Value: "call back" },
        amount: { Type: "NUMBER", Value: "12.5" },
        due: { Type: "DATE", Value: "1767225600" },
        owner: { Type: "EMAIL", Value: "owner@example.com" },
      },
      Attachments: [{ FileName: "invoice.pdf", S3Url: "https://bucket.s3.amazonaws.com/invoice.pdf" }],
    }),
  );
  const list = await references(ContactId, "URL", "STRING", "NUMBER", "DATE", "EMAIL", "ATTACHMENT");
  const got = Object.fromEntries(list.map((r) => [union(r), r[union(r)]]));
  assert.deepEqual(got, {
    Url: { Name: "site", Value: "https://example.com/case/1" },
    String: { Name: "note", Value: "call back" },
    Number: { Name: "amount", Value: "12.5" },
    Date: { Name: "due", Value: "1767225600" },
    Email: { Name: "owner", Value: "owner@example.com" },
    Attachment: { Name: "invoice.pdf", Value: "https://bucket.s3.amazonaws.com/invoice.pdf", Status: "APPROVED" },
  });
  const urls = await references(ContactId, "URL");
  assert.deepEqual(urls.map(union), ["Url"]);
});

check("CreateContact, DescribeContact (InitiationTimestamp as a Date), UpdateContact on external audio", async () => {
  const created = await c.send(
    new CreateContactCommand({ InstanceId: d.InstanceId, Channel: "VOICE", InitiationMethod: "TRANSFER", Name: "JS audio" }),
  );
  assert.equal(created.ContactArn, contactArn(created.ContactId));
  const { Contact: got } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId: created.ContactId }));
  assert.equal(got.Arn, created.ContactArn);
  assert.equal(got.Channel, "VOICE");
  assert.equal(got.InitiationMethod, "TRANSFER");
  assert.equal(got.SegmentAttributes["connect:Subtype"].ValueString, "connect:ExternalAudio");
  recent(got.InitiationTimestamp);
  assert.equal(got.DisconnectTimestamp, undefined);
  await c.send(
    new UpdateContactCommand({
      InstanceId: d.InstanceId,
      ContactId: created.ContactId,
      QueueInfo: { Id: d.QueueId },
      CustomerEndpoint: { Type: "TELEPHONE_NUMBER", Address: "+14155550100" },
    }),
  );
  const { Contact: updated } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId: created.ContactId }));
  assert.equal(updated.QueueInfo.Id, d.QueueId);
  assert.equal(updated.CustomerEndpoint.Address, "+14155550100");
  recent(updated.LastUpdateTimestamp);
});

check("StartOutboundVoiceContact, StartWebRTCContact", async () => {
  const voice = await c.send(
    new StartOutboundVoiceContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, DestinationPhoneNumber: "+14155550100", QueueId: d.QueueId }),
  );
  const { Contact: v } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId: voice.ContactId }));
  assert.equal(v.Channel, "VOICE");
  assert.equal(v.InitiationMethod, "API", "Connect's InitiationMethod for StartOutboundVoiceContact is API");
  assert.equal(v.CustomerEndpoint.Address, "+14155550100");
  assert.equal(v.QueueInfo.Id, d.QueueId);
  const rtc = await c.send(
    new StartWebRTCContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, ParticipantDetails: { DisplayName: "Ana" } }),
  );
  assert.ok(rtc.ConnectionData.Meeting.MediaPlacement.AudioHostUrl.startsWith(server.url + "/"), JSON.stringify(rtc.ConnectionData));
  assert.ok(rtc.ConnectionData.Attendee.JoinToken && rtc.ParticipantToken && rtc.ParticipantId);
  const { Contact: w } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId: rtc.ContactId }));
  assert.equal(w.InitiationMethod, "WEBRTC_API");
});

check("UpdateContact, UpdateContactAttributes, GetContactAttributes, TagContact, UntagContact", async () => {
  const { ContactId } = await c.send(
    new StartTaskContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, Name: "JS task", Attributes: { a: "1" } }),
  );
  await c.send(new UpdateContactCommand({ InstanceId: d.InstanceId, ContactId, Name: "JS renamed", Description: "new" }));
  await c.send(new UpdateContactAttributesCommand({ InstanceId: d.InstanceId, InitialContactId: ContactId, Attributes: { b: "2" } }));
  const { Attributes } = await c.send(new GetContactAttributesCommand({ InstanceId: d.InstanceId, InitialContactId: ContactId }));
  assert.deepEqual(Attributes, { a: "1", b: "2" });
  await c.send(new TagContactCommand({ InstanceId: d.InstanceId, ContactId, Tags: { team: "cx", env: "dev" } }));
  await c.send(new UntagContactCommand({ InstanceId: d.InstanceId, ContactId, TagKeys: ["team"] }));
  const { Contact: got } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId }));
  assert.equal(got.Name, "JS renamed");
  assert.equal(got.Description, "new");
  assert.deepEqual(got.Attributes, { a: "1", b: "2" });
  assert.deepEqual(got.Tags, { env: "dev" });
});

check("StopContact: DisconnectTimestamp as a Date; a second stop is ContactNotFoundException (410)", async () => {
  const { ContactId } = await c.send(new StartTaskContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, Name: "JS stop" }));
  await c.send(new StopContactCommand({ InstanceId: d.InstanceId, ContactId, DisconnectReason: { Code: "done" } }));
  const { Contact: got } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId }));
  recent(got.DisconnectTimestamp);
  assert.equal(got.DisconnectReason, "API");
  const err = await rejects(c.send(new StopContactCommand({ InstanceId: d.InstanceId, ContactId })), ContactNotFoundException, ContactId);
  assert.equal(err.$metadata.httpStatusCode, 410);
});

// Recorded for StartTaskContact only: the request's timestamp is what this test is about.
check(
  "StartTaskContact: ScheduledTime comes back to the millisecond",
  async () => {
    // The SDK sends timestamps as epoch seconds with milliseconds (e.g. 1795594610.01),
    // where boto3 and the CLI send whole seconds; whatever it sends within Connect's
    // millisecond precision must come back unchanged.
    const base = Math.floor(Date.now() / 1000) * 1000 + 24 * 3600 * 1000;
    const wrong = [];
    for (const ms of [10, 20, 30, 280, 290, 510, 570, 640, 820, 990]) {
      const when = new Date(base + ms);
      const { ContactId } = await c.send(
        new StartTaskContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, Name: "JS scheduled", ScheduledTime: when }),
      );
      const { Contact: got } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId }));
      assert.ok(got.ScheduledTimestamp instanceof Date, `ScheduledTimestamp ${got.ScheduledTimestamp}`);
      if (got.ScheduledTimestamp.getTime() !== when.getTime()) wrong.push(`${when.toISOString()} came back ${got.ScheduledTimestamp.toISOString()}`);
    }
    assert.deepEqual(wrong, []);
  },
  { record: ["StartTaskContact"] },
);

check("SearchContacts: filters, newest first, Sort, and paginateSearchContacts", async () => {
  const mine = { SearchableContactAttributes: { Criteria: [{ Key: "suite", Values: ["js-search"] }] } };
  const attrs = { suite: "js-search" };
  const pause = () => new Promise((r) => setTimeout(r, 5));
  const task = (await c.send(new StartTaskContactCommand({ InstanceId: d.InstanceId, ContactFlowId: d.ContactFlowId, Name: "JS search", Attributes: attrs })))
    .ContactId;
  await pause();
  const email = (await emailContact({ Attributes: attrs })).id;
  await pause();
  const voice = (
    await c.send(
      new StartOutboundVoiceContactCommand({
        InstanceId: d.InstanceId,
        ContactFlowId: d.ContactFlowId,
        DestinationPhoneNumber: "+14155550100",
        QueueId: d.QueueId,
        Attributes: attrs,
      }),
    )
  ).ContactId;
  const TimeRange = { Type: "INITIATION_TIMESTAMP", StartTime: new Date(Date.now() - 3600e3), EndTime: new Date(Date.now() + 3600e3) };
  const search = async (SearchCriteria, Sort) => {
    const ids = [];
    for await (const page of paginateSearchContacts({ client: c, pageSize: 2 }, { InstanceId: d.InstanceId, TimeRange, SearchCriteria, Sort })) {
      assert.ok(page.Contacts.length <= 2);
      for (const s of page.Contacts) {
        recent(s.InitiationTimestamp);
        ids.push(s.Id);
      }
    }
    return ids;
  };
  assert.deepEqual(await search(mine), [voice, email, task]);
  assert.deepEqual(await search(mine, { FieldName: "INITIATION_TIMESTAMP", Order: "ASCENDING" }), [task, email, voice]);
  assert.deepEqual(await search({ ...mine, Channels: ["EMAIL", "TASK"] }), [email, task]);
  const page = await c.send(new SearchContactsCommand({ InstanceId: d.InstanceId, TimeRange, SearchCriteria: { ...mine, Channels: ["VOICE"] } }));
  assert.deepEqual(page.Contacts.map((s) => s.Id), [voice]);
  assert.equal(page.TotalCount, 1);
  assert.equal(page.Contacts[0].Channel, "VOICE");
});

check("StartEmailContact, DescribeContact; the same ClientToken for another subject is IdempotencyException", async () => {
  const first = await c.send(new StartEmailContactCommand(emailInput({ ClientToken: "js-email-1" })));
  const { Contact: got } = await c.send(new DescribeContactCommand({ InstanceId: d.InstanceId, ContactId: first.ContactId }));
  assert.equal(got.Channel, "EMAIL");
  assert.equal(got.InitiationMethod, "INBOUND");
  assert.equal(got.CustomerEndpoint.Address, "jane.doe@example.com");
  assert.deepEqual(got.SegmentAttributes, {});
  const again = await c.send(new StartEmailContactCommand(emailInput({ ClientToken: "js-email-1" })));
  assert.equal(again.ContactId, first.ContactId, "the same ClientToken must replay the first answer");
  const err = await rejects(c.send(new StartEmailContactCommand(emailInput({ ClientToken: "js-email-1", subject: "different" }))), IdempotencyException);
  assert.equal(err.$metadata.httpStatusCode, 409);
});

// The email analytics pipeline (e2e/analytics_test.go).

check("Email analysis: message files as one-member unions; CONTACT_ANALYSIS as the ContactAnalysis member", async () => {
  const { id, arn } = await emailContact({ subject: "Refund for Maria Garcia", body: piiEmail, FromEmailAddress: { EmailAddress: "maria.garcia@example.com" } });
  // This SDK's model has the ContactAnalysis member (newer than the server's model, which
  // the server overlays with it), so the reference is a known member, not $unknown.
  const analysis = await eventually("the analysis", async () => (await references(id, "CONTACT_ANALYSIS")).at(0));
  assert.equal(union(analysis), "ContactAnalysis", JSON.stringify(analysis));
  assert.ok(analysis.ContactAnalysis.Name && analysis.ContactAnalysis.Arn.startsWith(`${d.InstanceArn}/file/`), JSON.stringify(analysis));
  for (const [type, member] of [
    ["EMAIL_MESSAGE", "EmailMessage"],
    ["EMAIL_MESSAGE_PLAIN_TEXT", "EmailMessagePlainText"],
    ["EMAIL_MESSAGE_REDACTED", "EmailMessageRedacted"],
    ["EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", "EmailMessagePlainTextRedacted"],
  ]) {
    const list = await references(id, type);
    assert.deepEqual(list.map(union), [member], `${type}: ${JSON.stringify(list)}`);
    assert.ok(list[0][member].Arn.startsWith(`${d.InstanceArn}/file/`), JSON.stringify(list));
  }
  const doc = JSON.parse((await download(arn, fileId(analysis.ContactAnalysis.Arn))).body.toString());
  assert.equal(doc.Channel, "EMAIL");
  assert.equal(doc.CustomerMetadata.ContactId, id);
  const redacted = (await references(id, "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED"))[0].EmailMessagePlainTextRedacted;
  const text = (await download(arn, fileId(redacted.Arn))).body.toString();
  for (const pii of ["4111", "555-0142", "maria.garcia@example.com", "123-45-6789"]) assert.ok(!text.includes(pii), `redacted text has ${pii}:\n${text}`);
  assert.ok(text.includes("[CREDIT_DEBIT_NUMBER]"), text);
});

// Attached files (e2e/files_test.go).

check(
  "StartAttachedFileUpload, PUT with fetch, CompleteAttachedFileUpload, GetAttachedFile, BatchGetAttachedFileMetadata, DeleteAttachedFile",
  async () => {
    const { arn } = await emailContact();
    const body = Buffer.from("%PDF-1.7\n" + "quarterly numbers\n".repeat(500));
    const up = await c.send(
      new StartAttachedFileUploadCommand({
        InstanceId: d.InstanceId,
        AssociatedResourceArn: arn,
        FileName: "Q3 report.pdf",
        FileSizeInBytes: body.length,
        FileUseCaseType: "ATTACHMENT",
        Tags: { team: "billing" },
      }),
    );
    assert.equal(up.FileStatus, "PROCESSING");
    assert.equal(up.FileArn, `${d.InstanceArn}/file/${up.FileId}`);
    assert.equal(typeof up.CreationTime, "string", "CreationTime is an ISO 8601 string in the model");
    assert.match(up.CreationTime, isoDatetime);
    assert.deepEqual(up.CreatedBy, { AWSIdentityArn: "arn:aws:iam::000000000000:user/test" });
    assert.match(up.UploadUrlMetadata.UrlExpiry, isoDatetime);
    assert.deepEqual(up.UploadUrlMetadata.HeadersToInclude, { "Content-Type": "application/pdf" });
    const put = await fetch(up.UploadUrlMetadata.Url, { method: "PUT", headers: up.UploadUrlMetadata.HeadersToInclude, body });
    assert.equal(put.status, 200, await put.text());
    await c.send(new CompleteAttachedFileUploadCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileId: up.FileId }));
    const { file, resp, body: downloaded } = await download(arn, up.FileId);
    assert.ok(downloaded.equals(body), `downloaded ${downloaded.length} bytes, uploaded ${body.length}`);
    assert.equal(resp.headers.get("content-type"), "application/pdf");
    assert.equal(file.FileName, "Q3 report.pdf");
    assert.equal(file.FileSizeInBytes, body.length);
    assert.equal(file.AssociatedResourceArn, arn);
    assert.equal(file.CreationTime, up.CreationTime);
    assert.deepEqual(file.Tags, { team: "billing" });
    assert.match(file.DownloadUrlMetadata.UrlExpiry, isoDatetime);

    const unknown = "00000000-0000-4000-8000-000000000000";
    const batch = await c.send(
      new BatchGetAttachedFileMetadataCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileIds: [up.FileId, unknown] }),
    );
    assert.deepEqual(batch.Files.map((f) => [f.FileId, f.FileStatus]), [[up.FileId, "APPROVED"]]);
    assert.match(batch.Files[0].CreationTime, isoDatetime);
    assert.deepEqual(batch.Errors.map((e) => [e.FileId, e.ErrorCode]), [[unknown, "404"]]);

    await c.send(new DeleteAttachedFileCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileId: up.FileId }));
    await rejects(
      c.send(new GetAttachedFileCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileId: up.FileId })),
      ResourceNotFoundException,
      up.FileId,
    );
    assert.equal((await fetch(file.DownloadUrlMetadata.Url)).status, 404);
  },
);

check("StartAttachedFileUpload: a disallowed extension is InvalidRequestException with Reason INVALID_FILE_TYPE", async () => {
  const { arn } = await emailContact();
  const err = await rejects(
    c.send(
      new StartAttachedFileUploadCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileName: "setup.exe", FileSizeInBytes: 10, FileUseCaseType: "ATTACHMENT" }),
    ),
    InvalidRequestException,
    ".exe",
  );
  assert.deepEqual(err.Reason, { AttachedFileInvalidRequestExceptionReason: "INVALID_FILE_TYPE" });
  assert.equal(err.$metadata.httpStatusCode, 400);
});

check("StartAttachedFileUpload: the eleventh file is ServiceQuotaExceededException with Reason TOTAL_FILE_COUNT_EXCEEDED", async () => {
  const { arn } = await emailContact();
  const start = (i) =>
    c.send(
      new StartAttachedFileUploadCommand({ InstanceId: d.InstanceId, AssociatedResourceArn: arn, FileName: `f${i}.txt`, FileSizeInBytes: 10, FileUseCaseType: "ATTACHMENT" }),
    );
  for (let i = 0; i < 10; i++) await start(i);
  const err = await rejects(start(10), ServiceQuotaExceededException, "10");
  assert.deepEqual(err.Reason, { AttachedFileServiceQuotaExceededExceptionReason: "TOTAL_FILE_COUNT_EXCEEDED" });
  assert.equal(err.$metadata.httpStatusCode, 402);
});

check("DescribeAttachedFilesConfiguration, ListAttachedFilesConfigurations, UpdateAttachedFilesConfiguration", async () => {
  const { AttachedFilesConfiguration: email } = await c.send(
    new DescribeAttachedFilesConfigurationCommand({ InstanceId: d.InstanceId, AttachmentScope: "EMAIL" }),
  );
  assert.equal(email.InstanceId, d.InstanceId);
  assert.equal(email.MaximumSizeLimitInBytes, 20 << 20);
  assert.ok(email.ExtensionConfiguration.AllowedExtensions.some((e) => e.Extension === "pdf"));
  const list = await c.send(new ListAttachedFilesConfigurationsCommand({ InstanceId: d.InstanceId }));
  assert.deepEqual(list.AttachedFilesConfigurations.map((x) => x.AttachmentScope), ["EMAIL", "CHAT", "CASE", "TASK"]);
  const updated = await c.send(
    new UpdateAttachedFilesConfigurationCommand({
      InstanceId: d.InstanceId,
      AttachmentScope: "TASK",
      MaximumSizeLimitInBytes: 1000,
      ExtensionConfiguration: { AllowedExtensions: [{ Extension: "PDF" }, { Extension: "zip" }] },
    }),
  );
  assert.equal(updated.MaximumSizeLimitInBytes, 1000);
  assert.deepEqual(updated.ExtensionConfiguration.AllowedExtensions, [{ Extension: "pdf" }, { Extension: "zip" }]);
  recent(updated.LastModifiedTime);
  const { AttachedFilesConfiguration: task } = await c.send(
    new DescribeAttachedFilesConfigurationCommand({ InstanceId: d.InstanceId, AttachmentScope: "TASK" }),
  );
  assert.equal(task.MaximumSizeLimitInBytes, 1000);
  recent(task.LastModifiedTime);
});

// Rules (e2e/rules_test.go).

check("CreateRule, DescribeRule, UpdateRule, ListRules, DeleteRule; a second rule of the same name is ResourceConflictException", async () => {
  const input = {
    InstanceId: d.InstanceId,
    Name: "js-angry-customers",
    PublishStatus: "PUBLISHED",
    TriggerEventSource: { EventSourceName: "OnEmailAnalysisAvailable" },
    Function: neverMatches,
    Actions: [
      { ActionType: "ASSIGN_CONTACT_CATEGORY", AssignContactCategoryAction: {} },
      {
        ActionType: "CREATE_TASK",
        TaskAction: {
          Name: "Call back",
          ContactFlowId: d.ContactFlowId,
          References: { ticket: { Type: "URL", Value: "https://example.com/t" } },
        },
      },
    ],
    ClientToken: "js-rule-1",
  };
  const created = await c.send(new CreateRuleCommand(input));
  assert.equal(created.RuleArn, `${d.InstanceArn}/rule/${created.RuleId}`);
  const { Rule: r } = await c.send(new DescribeRuleCommand({ InstanceId: d.InstanceId, RuleId: created.RuleId }));
  assert.equal(r.Name, "js-angry-customers");
  assert.equal(r.Function, neverMatches);
  assert.equal(r.TriggerEventSource.EventSourceName, "OnEmailAnalysisAvailable");
  assert.deepEqual(r.Actions[0], { ActionType: "ASSIGN_CONTACT_CATEGORY", AssignContactCategoryAction: {} });
  assert.equal(r.Actions[1].TaskAction.References.ticket.Value, "https://example.com/t");
  recent(r.CreatedTime);
  recent(r.LastUpdatedTime);
  assert.equal(r.LastUpdatedBy, "arn:aws:iam::000000000000:user/test");

  await rejects(c.send(new CreateRuleCommand({ ...input, ClientToken: "js-rule-2" })), ResourceConflictException, "js-angry-customers");

  await c.send(
    new UpdateRuleCommand({
      InstanceId: d.InstanceId,
      RuleId: created.RuleId,
      Name: "js-angry-customers",
      Function: inboundEmail,
      Actions: [{ ActionType: "ASSIGN_CONTACT_CATEGORY", AssignContactCategoryAction: {} }],
      PublishStatus: "DRAFT",
    }),
  );
  const { Rule: u } = await c.send(new DescribeRuleCommand({ InstanceId: d.InstanceId, RuleId: created.RuleId }));
  assert.equal(u.Function, inboundEmail);
  assert.equal(u.PublishStatus, "DRAFT");
  assert.equal(u.Actions.length, 1);

  await c.send(
    new CreateRuleCommand({ ...input, Name: "js-second", PublishStatus: "DRAFT", ClientToken: "js-rule-3", Actions: input.Actions.slice(0, 1) }),
  );
  const names = [];
  for await (const page of paginateListRules(
    { client: c, pageSize: 1 },
    { InstanceId: d.InstanceId, PublishStatus: "DRAFT", EventSourceName: "OnEmailAnalysisAvailable" },
  )) {
    assert.ok(page.RuleSummaryList.length <= 1);
    for (const s of page.RuleSummaryList) {
      assert.deepEqual(s.ActionSummaries, [{ ActionType: "ASSIGN_CONTACT_CATEGORY" }]);
      recent(s.CreatedTime);
      names.push(s.Name);
    }
  }
  assert.deepEqual(names.filter((n) => n.startsWith("js-")), ["js-angry-customers", "js-second"]);
  const published = (await c.send(new ListRulesCommand({ InstanceId: d.InstanceId, PublishStatus: "PUBLISHED" }))).RuleSummaryList;
  assert.ok(!published.some((s) => s.Name.startsWith("js-")), JSON.stringify(published));

  await c.send(new DeleteRuleCommand({ InstanceId: d.InstanceId, RuleId: created.RuleId }));
  await rejects(c.send(new DescribeRuleCommand({ InstanceId: d.InstanceId, RuleId: created.RuleId })), ResourceNotFoundException);
});

check("ListTagsForResource: an untagged resource has tags {}, present and empty", async () => {
  const arn = `${d.InstanceArn}/operating-hours/${d.HoursOfOperationId}`;
  const out = await c.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(out.tags, {});
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

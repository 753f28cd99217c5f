package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// env is what the workloads need to know about the server: the default instance and its
// resources, discovered through the API.
type env struct {
	base        string
	instanceID  string
	instanceARN string
	flowID      string
	emailAddr   string
}

func (e env) contactARN(id string) string { return e.instanceARN + "/contact/" + id }

// pool is a growing set of contact IDs that read workloads pick from at random.
type pool struct {
	mu  sync.RWMutex
	ids []string
}

func (p *pool) add(id string) {
	p.mu.Lock()
	p.ids = append(p.ids, id)
	p.mu.Unlock()
}

func (p *pool) len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.ids)
}

func (p *pool) pick(w *worker) string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.ids[w.rng.IntN(len(p.ids))]
}

// workload is one operation mix. iterate runs one iteration, which may make several
// requests; every request is recorded under its operation.
type workload struct {
	name    string // flag name
	title   string // what the table shows
	kind    string // write or read
	about   string
	prepare func(b *bench, ctx context.Context, d time.Duration) error
	iterate func(b *bench, ctx context.Context, w *worker) error
}

func workloads() []*workload {
	return []*workload{
		{name: "task", title: "StartTaskContact", kind: "write",
			about:   "a task from the default flow, with 2 references and 2 attributes",
			iterate: (*bench).startTask},
		{name: "describe", title: "DescribeContact", kind: "read",
			about:   "a random stored task contact",
			prepare: (*bench).needTasks, iterate: (*bench).describe},
		{name: "references", title: "ListContactReferences", kind: "read",
			about:   "URL and STRING references of a random stored task contact",
			prepare: (*bench).needTasks, iterate: (*bench).references},
		{name: "upload", title: "StartAttachedFileUpload + PUT + Complete", kind: "write",
			about:   "a 4 KiB PDF attached to an email contact (at most 10 per contact, Connect's quota)",
			prepare: (*bench).prepareUploads, iterate: (*bench).upload},
		{name: "email", title: "StartEmailContact (analysis on)", kind: "write",
			about:   "a 1.6 KB HTML email with PII (a 2.1 KB request), analysed on arrival (redaction, categories, CONTACT_ANALYSIS file)",
			iterate: (*bench).startEmail},
	}
}

// taskBody is a StartTaskContact request as the SDK serialises it (InstanceId is a body
// member of this operation; the SDK fills in ClientToken).
func (b *bench) taskBody(w *worker) []byte {
	return mustJSON(map[string]any{
		"ClientToken":   newUUID(),
		"InstanceId":    b.env.instanceID,
		"ContactFlowId": b.env.flowID,
		"Name":          "Callback request",
		"Description":   "The customer asked for a call back about order 4471.",
		"References": map[string]any{
			"ticket": map[string]string{"Type": "URL", "Value": fmt.Sprintf("https://tickets.example.com/T-%d", w.rng.IntN(1e6))},
			"note":   map[string]string{"Type": "STRING", "Value": "Prefers mornings"},
		},
		"Attributes": map[string]string{"customerId": fmt.Sprintf("C-%06d", w.rng.IntN(1e6)), "priority": "high"},
	})
}

func (b *bench) startTask(ctx context.Context, w *worker) error {
	out, err := w.call(ctx, "StartTaskContact", http.MethodPut, "/contact/task", nil, b.taskBody(w))
	if err != nil {
		return err
	}
	if !w.t.floor {
		var r struct{ ContactId string }
		if err := json.Unmarshal(out, &r); err != nil || r.ContactId == "" {
			return fmt.Errorf("StartTaskContact answered %s", out)
		}
		b.tasks.add(r.ContactId)
	}
	return nil
}

// needTasks makes sure there are task contacts to read.
func (b *bench) needTasks(ctx context.Context, _ time.Duration) error {
	if n := 1000 - b.tasks.len(); n > 0 {
		return b.populate(ctx, b.tasks.len()+n, "task contacts to read")
	}
	return nil
}

func (b *bench) describe(ctx context.Context, w *worker) error {
	id := b.tasks.pick(w)
	_, err := w.call(ctx, "DescribeContact", http.MethodGet, "/contacts/"+b.env.instanceID+"/"+id, nil, nil)
	return err
}

var referenceTypes = url.Values{"referenceTypes": {"URL", "STRING"}}

func (b *bench) references(ctx context.Context, w *worker) error {
	id := b.tasks.pick(w)
	out, err := w.call(ctx, "ListContactReferences", http.MethodGet, "/contact/references/"+b.env.instanceID+"/"+id, referenceTypes, nil)
	if err != nil {
		return err
	}
	var r struct{ ReferenceSummaryList []json.RawMessage }
	if err := json.Unmarshal(out, &r); err != nil || len(r.ReferenceSummaryList) != 2 {
		return fmt.Errorf("ListContactReferences answered %s", out)
	}
	return nil
}

// emailHTML is an inbound customer email of 1.6 KB of HTML with the kinds of PII the
// analysis redacts (names, an email address, a phone number, a card number, an address).
// BenchmarkEmailInMemory (internal/connect) sends it too.
//
//go:embed email.html
var emailHTML string

func (b *bench) emailBody() []byte {
	return mustJSON(map[string]any{
		"ClientToken":             newUUID(),
		"InstanceId":              b.env.instanceID,
		"FromEmailAddress":        map[string]string{"EmailAddress": "maria.garcia@example.com", "DisplayName": "Maria Garcia"},
		"DestinationEmailAddress": b.env.emailAddr,
		"EmailMessage": map[string]any{
			"MessageSourceType": "RAW",
			"RawMessage": map[string]any{
				"Subject":     "Order #4471-2209 has not arrived",
				"Body":        emailHTML,
				"ContentType": "text/html",
				"Headers":     map[string]string{"MESSAGE_ID": "<" + newUUID() + "@mail.example.com>"},
			},
		},
	})
}

func (b *bench) sendEmail(ctx context.Context, w *worker, op string) (string, error) {
	out, err := w.call(ctx, op, http.MethodPut, "/contact/email", nil, b.emailBody())
	if err != nil {
		return "", err
	}
	var r struct{ ContactId string }
	if err := json.Unmarshal(out, &r); err != nil || r.ContactId == "" {
		return "", fmt.Errorf("StartEmailContact answered %s", out)
	}
	return r.ContactId, nil
}

func (b *bench) startEmail(ctx context.Context, w *worker) error {
	id, err := b.sendEmail(ctx, w, "StartEmailContact")
	if err != nil || w.t.floor || w.rec == nil {
		return err
	}
	if b.analysis != nil {
		b.analysis.sent(id, time.Now())
	}
	return nil
}

// uploads hands out (email contact, slot) pairs so that no contact gets more than the
// 10 files Connect allows per email.
type uploads struct {
	next     atomic.Int64
	contacts []string
}

const filesPerEmail = 10

var errNoSlot = errors.New("no email contact with a free attachment slot")

func (u *uploads) take() (string, error) {
	i := u.next.Add(1) - 1
	if int(i/filesPerEmail) >= len(u.contacts) {
		return "", errNoSlot
	}
	return u.contacts[i/filesPerEmail], nil
}

// prepareUploads creates enough email contacts for d of uploads at the rate a short
// trial reaches, then lets their analysis finish so that it does not run during the
// measurement.
func (b *bench) prepareUploads(ctx context.Context, d time.Duration) error {
	need := func(n int) error {
		u := &uploads{}
		var mu sync.Mutex
		var firstErr error
		var wg sync.WaitGroup
		var left atomic.Int64
		left.Store(int64(n))
		for i := range min(n, 8) {
			w := b.gen.worker(target{base: b.env.base}, nil, uint64(time.Now().UnixNano())+uint64(i))
			wg.Go(func() {
				for left.Add(-1) >= 0 && ctx.Err() == nil {
					id, err := b.sendEmail(ctx, w, "StartEmailContact")
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					}
					if err == nil {
						u.contacts = append(u.contacts, id)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		b.files = u
		b.results.emails += len(u.contacts)
		return firstErr
	}
	// The calibration's own contacts must outlast its second: a trial that runs out of
	// slots measures the pool, not the server (30 contacts, 300 files, once did).
	if err := need(200); err != nil {
		return err
	}
	b.settle(ctx)
	rec, elapsed := b.gen.drive(ctx, target{base: b.env.base}, b.concurrency, time.Second, true, func(ctx context.Context, w *worker) error {
		return b.upload(ctx, w)
	})
	rate := float64(len(rec.lat["CompleteAttachedFileUpload"])) / elapsed.Seconds()
	n := int(rate*(d.Seconds()+rounds*b.warmup.Seconds())*3/filesPerEmail) + 2*b.concurrency // a warm-up per round; a second of calibration can be slow by half
	if err := need(n); err != nil {
		return err
	}
	b.settle(ctx)
	return nil
}

// upload attaches one file to an email contact: StartAttachedFileUpload, the PUT of the
// bytes to the pre-signed URL, CompleteAttachedFileUpload.
func (b *bench) upload(ctx context.Context, w *worker) error {
	// The floor keeps no quota, and must not use up the contacts the server's turns need.
	contact := b.files.contacts[0]
	if !w.t.floor {
		var err error
		if contact, err = b.files.take(); err != nil {
			w.rec.fail("StartAttachedFileUpload", err)
			return err
		}
	}
	arn := url.Values{"associatedResourceArn": {b.env.contactARN(contact)}}
	out, err := w.call(ctx, "StartAttachedFileUpload", http.MethodPut, "/attached-files/"+b.env.instanceID, arn, mustJSON(map[string]any{
		"ClientToken":     newUUID(),
		"FileName":        fmt.Sprintf("invoice-%d.pdf", w.rng.IntN(1e6)),
		"FileSizeInBytes": len(pdf),
		"FileUseCaseType": "ATTACHMENT",
	}))
	if err != nil {
		return err
	}
	var up struct {
		FileId            string
		UploadUrlMetadata struct {
			Url              string
			HeadersToInclude map[string]string
		}
	}
	if err := json.Unmarshal(out, &up); err != nil || up.FileId == "" || up.UploadUrlMetadata.Url == "" {
		return fmt.Errorf("StartAttachedFileUpload answered %s", out)
	}
	h := http.Header{}
	for k, v := range up.UploadUrlMetadata.HeadersToInclude {
		h.Set(k, v)
	}
	if _, err := w.raw(ctx, "PUT upload URL", http.MethodPut, up.UploadUrlMetadata.Url, h, pdf); err != nil {
		return err
	}
	_, err = w.call(ctx, "CompleteAttachedFileUpload", http.MethodPost, "/attached-files/"+b.env.instanceID+"/"+up.FileId, arn, nil)
	return err
}

// pdf is the uploaded file: 4 KiB that start like a PDF.
var pdf = func() []byte {
	b := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
	for len(b) < 4096 {
		b = append(b, strings.Repeat("0123456789abcdef", 4)+"\n"...)
	}
	return b[:4096]
}()

// mustJSON encodes a request body as aws-sdk-go-v2's JSON encoder (smithy-go) does,
// leaving <, > and & as they are: encoding/json's \u003c escapes had made the email's
// request a quarter larger than the SDK's (TestEmailRequestIsTheSDKs).
func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

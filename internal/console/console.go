// Package console is connectlocal's web console: a few server-rendered pages that show
// an account's instances, contacts with their references and files, rules, what the
// rules engine did, the deliveries it made, and the email analytics settings. It reads
// through the same api.Service the Connect API serves, as the account's own caller.
package console

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/connect"
)

//go:embed templates/*.html
var templates embed.FS

// Path is where the console is mounted.
const Path = "/_connectlocal/console/"

// Handler serves the console.
type Handler struct {
	service *connect.Service
	logger  *slog.Logger
	pages   func() *template.Template
	mux     *http.ServeMux
}

// New returns the console for service.
func New(service *connect.Service, logger *slog.Logger) *Handler {
	h := &Handler{service: service, logger: logger, mux: http.NewServeMux()}
	h.pages = sync.OnceValue(parsePages)
	h.mux.HandleFunc("GET "+Path+"{$}", h.instances)
	h.mux.HandleFunc("GET "+Path+"instances/{instance}", h.instance)
	h.mux.HandleFunc("POST "+Path+"instances/{instance}/email-analytics", h.saveSettings)
	h.mux.HandleFunc("GET "+Path+"instances/{instance}/contacts/{contact}", h.contact)
	h.mux.HandleFunc("GET "+Path+"instances/{instance}/files/{file}", h.file)
	return h
}

// parsePages parses the console's templates, all at once. The console parses them when
// it first serves a page rather than at start-up: parsing takes about a millisecond,
// and most servers start for an SDK's tests and never show a page. A template that does
// not parse fails the first page of the console's e2e test.
func parsePages() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"time": func(t *api.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04:05Z")
		},
		"join": strings.Join,
		"list": func(v ...string) []string { return v },
	}).ParseFS(templates, "templates/*.html"))
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// caller is the account the console shows: ?account=, else the default account.
func caller(r *http.Request) (context.Context, string) {
	account := r.URL.Query().Get("account")
	if account == "" {
		account = connect.DefaultAccount
	}
	return connect.WithCaller(r.Context(), connect.Caller{Account: account, AccessKeyID: "connectlocal-console"}), account
}

func (h *Handler) render(w http.ResponseWriter, page string, data any, err error) {
	if err != nil {
		status := http.StatusInternalServerError
		var e *api.Error
		if errors.As(err, &e) {
			status = e.Status()
		} else {
			h.logger.Error("console", "page", page, "err", err)
		}
		w.WriteHeader(status)
		h.pages().ExecuteTemplate(w, "error.html", map[string]any{"Error": err.Error()})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := h.pages().ExecuteTemplate(w, page, data); err != nil {
		h.logger.Error("console", "page", page, "err", err)
	}
}

func (h *Handler) instances(w http.ResponseWriter, r *http.Request) {
	ctx, account := caller(r)
	out, err := h.service.ListInstances(ctx, &api.ListInstancesRequest{MaxResults: api.Int32(10)})
	var list []api.InstanceSummary
	for err == nil {
		list = append(list, out.InstanceSummaryList...)
		if out.NextToken == "" {
			break
		}
		out, err = h.service.ListInstances(ctx, &api.ListInstancesRequest{NextToken: out.NextToken, MaxResults: api.Int32(10)})
	}
	h.render(w, "instances.html", map[string]any{"Account": account, "Instances": list}, err)
}

func (h *Handler) instance(w http.ResponseWriter, r *http.Request) {
	ctx, account := caller(r)
	id := r.PathValue("instance")
	data := map[string]any{"Account": account}
	err := func() error {
		inst, err := h.service.DescribeInstance(ctx, &api.DescribeInstanceRequest{InstanceId: id})
		if err != nil {
			return err
		}
		data["Instance"] = inst.Instance
		now := time.Now()
		contacts, err := h.service.SearchContacts(ctx, &api.SearchContactsRequest{InstanceId: id, MaxResults: api.Int32(100),
			TimeRange: &api.SearchContactsTimeRange{Type: "INITIATION_TIMESTAMP", StartTime: api.NewTime(now.AddDate(0, 0, -30)), EndTime: api.NewTime(now.Add(time.Hour))}})
		if err != nil {
			return err
		}
		data["Contacts"], data["ContactCount"] = contacts.Contacts, contacts.TotalCount
		rules, err := h.service.ListRules(ctx, &api.ListRulesRequest{InstanceId: id, MaxResults: api.Int32(200)})
		if err != nil {
			return err
		}
		data["Rules"] = rules.RuleSummaryList
		if data["Evaluations"], err = h.service.Evaluations(ctx, account, inst.Instance.Id); err != nil {
			return err
		}
		if data["Deliveries"], err = h.service.Deliveries(ctx, account, inst.Instance.Id); err != nil {
			return err
		}
		data["Settings"], err = h.service.EmailAnalyticsSettings(ctx, account, inst.Instance.Id)
		return err
	}()
	h.render(w, "instance.html", data, err)
}

func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	ctx, account := caller(r)
	if err := r.ParseForm(); err != nil {
		h.render(w, "", nil, api.Errorf(api.InvalidRequest, "%v", err))
		return
	}
	var entities []string
	for _, e := range strings.Split(r.PostForm.Get("Entities"), ",") {
		if e = strings.TrimSpace(e); e != "" {
			entities = append(entities, e)
		}
	}
	settings := connect.EmailAnalyticsSettings{
		Enabled: r.PostForm.Get("Enabled") == "on", Policy: r.PostForm.Get("Policy"), MaskMode: r.PostForm.Get("MaskMode"),
		Entities: entities, Trigger: r.PostForm.Get("Trigger"), LanguageLocale: r.PostForm.Get("LanguageLocale"),
	}
	if err := h.service.SetEmailAnalyticsSettings(ctx, account, r.PathValue("instance"), settings); err != nil {
		h.render(w, "", nil, err)
		return
	}
	http.Redirect(w, r, Path+"instances/"+r.PathValue("instance")+"?account="+account, http.StatusSeeOther)
}

// allReferenceTypes are the types a contact's page lists, six per request (the model's
// limit on ReferenceTypes).
var allReferenceTypes = [][]string{
	{"URL", "ATTACHMENT", "NUMBER", "STRING", "DATE", "EMAIL"},
	{"EMAIL_MESSAGE", "EMAIL_MESSAGE_PLAIN_TEXT", "EMAIL_MESSAGE_REDACTED", "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", "CONTACT_ANALYSIS"},
}

type reference struct{ Kind, Name, Value, Arn, FileId string }

func (h *Handler) contact(w http.ResponseWriter, r *http.Request) {
	ctx, account := caller(r)
	instance, id := r.PathValue("instance"), r.PathValue("contact")
	data := map[string]any{"Account": account, "InstanceId": instance}
	err := func() error {
		c, err := h.service.DescribeContact(ctx, &api.DescribeContactRequest{InstanceId: instance, ContactId: id})
		if err != nil {
			return err
		}
		data["Contact"] = c.Contact
		var refs []reference
		for _, types := range allReferenceTypes {
			out, err := h.service.ListContactReferences(ctx, &api.ListContactReferencesRequest{InstanceId: instance, ContactId: id, ReferenceTypes: types})
			if err != nil {
				return err
			}
			for _, s := range out.ReferenceSummaryList {
				refs = append(refs, summaryRow(s))
			}
		}
		data["References"] = refs
		return nil
	}()
	h.render(w, "contact.html", data, err)
}

// summaryRow flattens a ReferenceSummary union for display.
func summaryRow(s api.ReferenceSummary) reference {
	file := func(kind string, m *api.EmailMessageReference) reference {
		return reference{Kind: kind, Name: m.Name, Arn: m.Arn, FileId: m.Arn[strings.LastIndex(m.Arn, "/")+1:]}
	}
	switch {
	case s.Url != nil:
		return reference{Kind: "URL", Name: s.Url.Name, Value: s.Url.Value}
	case s.String != nil:
		return reference{Kind: "STRING", Name: s.String.Name, Value: s.String.Value}
	case s.Number != nil:
		return reference{Kind: "NUMBER", Name: s.Number.Name, Value: s.Number.Value}
	case s.Date != nil:
		return reference{Kind: "DATE", Name: s.Date.Name, Value: s.Date.Value}
	case s.Email != nil:
		return reference{Kind: "EMAIL", Name: s.Email.Name, Value: s.Email.Value}
	case s.Attachment != nil:
		return reference{Kind: "ATTACHMENT", Name: s.Attachment.Name, Value: s.Attachment.Value, Arn: s.Attachment.Arn}
	case s.EmailMessage != nil:
		return file("EMAIL_MESSAGE", s.EmailMessage)
	case s.EmailMessagePlainText != nil:
		return file("EMAIL_MESSAGE_PLAIN_TEXT", s.EmailMessagePlainText)
	case s.EmailMessageRedacted != nil:
		return file("EMAIL_MESSAGE_REDACTED", s.EmailMessageRedacted)
	case s.EmailMessagePlainTextRedacted != nil:
		return file("EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", s.EmailMessagePlainTextRedacted)
	case s.ContactAnalysis != nil:
		return file("CONTACT_ANALYSIS", &api.EmailMessageReference{Name: s.ContactAnalysis.Name, Arn: s.ContactAnalysis.Arn})
	}
	return reference{Kind: "?"}
}

// file redirects to an attached file's download URL.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	ctx, _ := caller(r)
	out, err := h.service.GetAttachedFile(ctx, &api.GetAttachedFileRequest{
		InstanceId: r.PathValue("instance"), FileId: r.PathValue("file"), AssociatedResourceArn: r.URL.Query().Get("associatedResourceArn"),
	})
	if err == nil && out.DownloadUrlMetadata == nil {
		err = api.Errorf(api.InvalidRequest, "file %s is %s and cannot be downloaded", out.FileId, out.FileStatus)
	}
	if err != nil {
		h.render(w, "", nil, err)
		return
	}
	http.Redirect(w, r, out.DownloadUrlMetadata.Url, http.StatusFound)
}

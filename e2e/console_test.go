package e2e

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

func page(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", u, resp.Status, b)
	}
	return string(b)
}

func TestConsoleShowsInstancesContactsRulesAndFiles(t *testing.T) {
	srv, c := start(t)
	inst := srv.Defaults.InstanceID
	must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: aws.String(inst), Name: aws.String("refunds"), PublishStatus: types.RulePublishStatusPublished,
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnEmailAnalysisAvailable},
		Function:           aws.String(emailFunction("refund")), Actions: []types.RuleAction{categoryAction()}}))(t)
	id := sendEmail(t, c, srv, piiEmail)
	analysis(t, c, srv, id)
	eventually(t, "the evaluation", func() bool { return len(evaluations(t, srv)) == 1 })

	home := page(t, srv.URL+"/_connectlocal/console/")
	if !strings.Contains(home, inst) || !strings.Contains(home, "connectlocal") {
		t.Errorf("home page lacks the default instance:\n%s", home)
	}
	instPage := page(t, srv.URL+"/_connectlocal/console/instances/"+inst)
	for _, want := range []string{id, "refunds", "OnEmailAnalysisAvailable", "ASSIGN_CONTACT_CATEGORY: category refunds assigned", "RedactedAndOriginal"} {
		if !strings.Contains(instPage, want) {
			t.Errorf("instance page lacks %q", want)
		}
	}
	contactPage := page(t, srv.URL+"/_connectlocal/console/instances/"+inst+"/contacts/"+id)
	for _, want := range []string{"EMAIL_MESSAGE_REDACTED", "CONTACT_ANALYSIS", "download"} {
		if !strings.Contains(contactPage, want) {
			t.Errorf("contact page lacks %q", want)
		}
	}
	// The download link leads to the file's bytes.
	i := strings.Index(contactPage, "/files/")
	link := contactPage[strings.LastIndex(contactPage[:i], `"`)+1 : i+strings.Index(contactPage[i:], `"`)]
	link = strings.ReplaceAll(link, "&amp;", "&")
	if _, err := url.Parse(link); err != nil {
		t.Fatal(err)
	}
	if body := page(t, srv.URL+link); !strings.Contains(body, id) {
		t.Errorf("downloaded file does not mention the contact:\n%.300s", body)
	}

	t.Run("SettingsForm", func(t *testing.T) {
		resp, err := http.PostForm(srv.URL+"/_connectlocal/console/instances/"+inst+"/email-analytics", url.Values{"Enabled": {"on"}, "Policy": {"RedactedOnly"}, "MaskMode": {"PII"}, "Trigger": {"ON_CONTACT_END"}, "Entities": {"EMAIL, SSN"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var got struct {
			Policy, Trigger string
			Entities        []string
		}
		admin(t, srv, http.MethodGet, "/email-analytics", nil, &got)
		if got.Policy != "RedactedOnly" || got.Trigger != "ON_CONTACT_END" || strings.Join(got.Entities, ",") != "EMAIL,SSN" {
			t.Errorf("settings after the form: %+v", got)
		}
	})
}

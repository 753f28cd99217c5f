package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// capturedBody is an http.RoundTripper that keeps the request's body and answers as
// StartEmailContact would.
type capturedBody struct{ body []byte }

func (c *capturedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	var err error
	if c.body, err = io.ReadAll(r.Body); err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: http.StatusOK, Request: r, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader([]byte(`{"ContactId":"c"}`)))}, nil
}

// TestEmailRequestIsTheSDKs: the email workload's StartEmailContact body holds what
// aws-sdk-go-v2 sends for the same email, and is as long. The SDK writes the members in
// another order, so the bytes themselves differ; the length tells the escaping apart
// (encoding/json's \u003c for each < made the body a quarter larger).
func TestEmailRequestIsTheSDKs(t *testing.T) {
	b := &bench{env: env{instanceID: "8e4c4cba-3f0e-4a3b-9d7e-0c5f2e9a1b6d", emailAddr: "support@example.com"}}
	ours := b.emailBody()
	var in struct {
		ClientToken, InstanceId, DestinationEmailAddress string
		FromEmailAddress                                 struct{ EmailAddress, DisplayName string }
		EmailMessage                                     struct {
			MessageSourceType string
			RawMessage        struct {
				Subject, Body, ContentType string
				Headers                    map[string]string
			}
		}
	}
	if err := json.Unmarshal(ours, &in); err != nil {
		t.Fatal(err)
	}
	capture := &capturedBody{}
	client := connect.New(connect.Options{Region: region, BaseEndpoint: aws.String("http://127.0.0.1"),
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""), HTTPClient: &http.Client{Transport: capture}})
	raw := in.EmailMessage.RawMessage
	_, err := client.StartEmailContact(context.Background(), &connect.StartEmailContactInput{
		ClientToken: aws.String(in.ClientToken), InstanceId: aws.String(in.InstanceId), DestinationEmailAddress: aws.String(in.DestinationEmailAddress),
		FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String(in.FromEmailAddress.EmailAddress), DisplayName: aws.String(in.FromEmailAddress.DisplayName)},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceType(in.EmailMessage.MessageSourceType),
			RawMessage: &types.InboundRawMessage{Subject: aws.String(raw.Subject), Body: aws.String(raw.Body), ContentType: aws.String(raw.ContentType), Headers: raw.Headers}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var oursDoc, sdkDoc any
	if err := json.Unmarshal(ours, &oursDoc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(capture.body, &sdkDoc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(oursDoc, sdkDoc) {
		t.Fatalf("the bench sends\n%s\nthe SDK\n%s", ours, capture.body)
	}
	if len(ours) != len(capture.body) {
		t.Errorf("the bench's body is %d bytes, the SDK's %d", len(ours), len(capture.body))
	}
}

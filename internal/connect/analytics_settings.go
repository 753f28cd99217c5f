package connect

import (
	"context"
	"errors"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/emailanalytics"
	"github.com/connectlocal/connectlocal/internal/store"
)

const kindAnalyticsSettings = "email-analytics-settings"

// When the analysis of an email runs. The admin guide says redaction is applied after
// the email contact ends; a re:Post article says analysis starts when the email arrives.
// Both are offered; on arrival is the default because users expect to see the result.
const (
	AnalyzeOnArrival    = "ON_ARRIVAL"
	AnalyzeOnContactEnd = "ON_CONTACT_END"
)

// EmailAnalyticsSettings configure Contact Lens conversational analytics for email in an
// instance (in Amazon Connect, the flow's "Set recording, analytics and processing
// behavior" block). Read and written through the admin endpoint and the console.
type EmailAnalyticsSettings struct {
	Enabled bool `json:"Enabled"`
	// Policy is the redaction policy: None, RedactedOnly or RedactedAndOriginal.
	Policy string `json:"Policy"`
	// MaskMode is PII (every entity becomes [PII]) or EntityType ([EMAIL], [NAME] ...).
	MaskMode string `json:"MaskMode"`
	// Entities are the entity types to redact; empty means all.
	Entities       []string `json:"Entities"`
	Trigger        string   `json:"Trigger"`
	LanguageLocale string   `json:"LanguageLocale"`
}

// defaultAnalyticsSettings are an instance's settings until someone changes them; the
// redaction configuration is the one in Connect's example output file.
func defaultAnalyticsSettings() EmailAnalyticsSettings {
	return EmailAnalyticsSettings{Enabled: true, Policy: "RedactedAndOriginal", MaskMode: "EntityType", Entities: []string{}, Trigger: AnalyzeOnArrival, LanguageLocale: "en-US"}
}

func (e EmailAnalyticsSettings) validate() error {
	switch {
	case !slices.Contains([]string{"None", "RedactedOnly", "RedactedAndOriginal"}, e.Policy):
		return api.Errorf(api.InvalidRequest, "Policy must be None, RedactedOnly or RedactedAndOriginal, not %q", e.Policy)
	case !slices.Contains([]string{"PII", "EntityType"}, e.MaskMode):
		return api.Errorf(api.InvalidRequest, "MaskMode must be PII or EntityType, not %q", e.MaskMode)
	case !slices.Contains([]string{AnalyzeOnArrival, AnalyzeOnContactEnd}, e.Trigger):
		return api.Errorf(api.InvalidRequest, "Trigger must be %s or %s, not %q", AnalyzeOnArrival, AnalyzeOnContactEnd, e.Trigger)
	}
	for _, t := range e.Entities {
		if !slices.Contains(emailanalytics.EntityTypes(), t) {
			return api.Errorf(api.InvalidRequest, "Entities: unknown entity type %q; one of %v", t, emailanalytics.EntityTypes())
		}
	}
	return nil
}

func analyticsSettings(ctx context.Context, tx store.Tx, account, instance string) (EmailAnalyticsSettings, error) {
	rec, err := tx.Get(ctx, store.Key{Account: account, Kind: kindAnalyticsSettings, Instance: instance, ID: instance})
	if errors.Is(err, store.ErrNotFound) {
		return defaultAnalyticsSettings(), nil
	}
	if err != nil {
		return EmailAnalyticsSettings{}, err
	}
	var e EmailAnalyticsSettings
	return e, decodeRecord(rec.Data, &e)
}

// EmailAnalyticsSettings returns an instance's settings.
func (s *Service) EmailAnalyticsSettings(ctx context.Context, account, instanceID string) (EmailAnalyticsSettings, error) {
	var out EmailAnalyticsSettings
	ctx = WithCaller(ctx, Caller{Account: account})
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		out, err = analyticsSettings(ctx, tx, account, inst)
		return err
	})
	return out, err
}

// SetEmailAnalyticsSettings replaces an instance's settings; they apply to emails
// analysed from then on.
func (s *Service) SetEmailAnalyticsSettings(ctx context.Context, account, instanceID string, e EmailAnalyticsSettings) error {
	if e.Entities == nil {
		e.Entities = []string{}
	}
	if e.LanguageLocale == "" {
		e.LanguageLocale = "en-US"
	}
	if err := e.validate(); err != nil {
		return err
	}
	ctx = WithCaller(ctx, Caller{Account: account})
	return s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		return save(ctx, tx, store.Key{Account: account, Kind: kindAnalyticsSettings, Instance: inst, ID: inst}, "", e)
	})
}

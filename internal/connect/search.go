package connect

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// SearchContacts finds the instance's contacts whose TimeRange timestamp falls in the
// range and that match every SearchCriteria given, sorted (by default newest initiation
// first) and paginated.
func (s *Service) SearchContacts(ctx context.Context, in *api.SearchContactsRequest) (*api.SearchContactsResponse, error) {
	tr := in.TimeRange
	if tr.StartTime.After(tr.EndTime.Time) {
		return nil, api.Errorf(api.InvalidParameter, "TimeRange.StartTime must not be after TimeRange.EndTime")
	}
	out := &api.SearchContactsResponse{Contacts: []api.ContactSearchSummary{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		all, _, err := listAll[contactRecord](ctx, s, tx, in.InstanceId, kindContact)
		if err != nil {
			return err
		}
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		chains := map[string]map[string]string{}
		attributesOf := func(c *contactRecord) (map[string]string, error) {
			if a, ok := chains[c.InitialContactId]; ok {
				return a, nil
			}
			ch, err := chain(ctx, tx, CallerFrom(ctx).Account, inst, c)
			if err != nil {
				return nil, err
			}
			chains[c.InitialContactId] = ch.Attributes
			return ch.Attributes, nil
		}
		var matched []contactRecord
		for i := range all {
			c := &all[i]
			c.settle(s.now())
			t := timestampOf(c, tr.Type)
			if t == nil || t.Before(tr.StartTime.Time) || t.After(tr.EndTime.Time) {
				continue
			}
			attrs, err := attributesOf(c)
			if err != nil {
				return err
			}
			if matchesCriteria(c, attrs, in.SearchCriteria) {
				matched = append(matched, *c)
			}
		}
		sortContacts(matched, in.Sort)
		out.TotalCount = api.Int64(int64(len(matched)))
		page, next, err := paginate(matched, func(c contactRecord) string { return c.Id }, nil, in.NextToken, maxResults(in.MaxResults, 100))
		out.NextToken = next
		for _, c := range page {
			out.Contacts = append(out.Contacts, summary(&c))
		}
		return err
	})
	return out, err
}

func timestampOf(c *contactRecord, kind string) *time.Time {
	var t *api.Time
	switch kind {
	case "INITIATION_TIMESTAMP":
		t = c.InitiationTimestamp
	case "SCHEDULED_TIMESTAMP":
		t = c.ScheduledTimestamp
	case "DISCONNECT_TIMESTAMP":
		t = c.DisconnectTimestamp
	case "ENQUEUE_TIMESTAMP":
		if c.QueueInfo != nil {
			t = c.QueueInfo.EnqueueTimestamp
		}
	case "CONNECTED_TO_AGENT_TIMESTAMP":
		if c.AgentInfo != nil {
			t = c.AgentInfo.ConnectedToAgentTimestamp
		}
	}
	if t == nil {
		return nil
	}
	return &t.Time
}

func matchesCriteria(c *contactRecord, attrs map[string]string, sc *api.SearchCriteria) bool {
	if sc == nil {
		return true
	}
	queue, agent := "", ""
	if c.QueueInfo != nil {
		queue = c.QueueInfo.Id
	}
	if c.AgentInfo != nil {
		agent = c.AgentInfo.Id
	}
	oneOf := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	if !oneOf(sc.Channels, c.Channel) || !oneOf(sc.InitiationMethods, c.InitiationMethod) ||
		!oneOf(idsOf(sc.QueueIds), queue) || !oneOf(idsOf(sc.AgentIds), agent) {
		return false
	}
	if sca := sc.SearchableContactAttributes; sca != nil {
		var crit []attrCriterion
		for _, cr := range sca.Criteria {
			crit = append(crit, attrCriterion{cr.Key, cr.Values})
		}
		if !matchAttributes(crit, sca.MatchType, func(k string) (string, bool) { v, ok := attrs[k]; return v, ok }) {
			return false
		}
	}
	if ssa := sc.SearchableSegmentAttributes; ssa != nil {
		var crit []attrCriterion
		for _, cr := range ssa.Criteria {
			crit = append(crit, attrCriterion{cr.Key, cr.Values})
		}
		lookup := func(k string) (string, bool) {
			v, ok := c.SegmentAttributes[k]
			return v.ValueString, ok
		}
		if !matchAttributes(crit, ssa.MatchType, lookup) {
			return false
		}
	}
	if sc.ContactTags != nil && !matchTagFilter(sc.ContactTags, c.Tags) {
		return false
	}
	return true
}

func idsOf(list []string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = idFromARN(v)
	}
	return out
}

type attrCriterion struct {
	key    string
	values []string
}

// matchAttributes applies searchable-attribute criteria: each criterion holds when the
// attribute's value is one of its values; MATCH_ALL (the default) needs all to hold,
// MATCH_ANY one, MATCH_NONE none, MATCH_EXACT all and no other value.
func matchAttributes(crit []attrCriterion, matchType string, lookup func(string) (string, bool)) bool {
	held := 0
	for _, cr := range crit {
		if v, ok := lookup(cr.key); ok && slices.Contains(cr.values, v) {
			held++
		}
	}
	switch matchType {
	case "MATCH_ANY":
		return held > 0
	case "MATCH_NONE":
		return held == 0
	default:
		return held == len(crit)
	}
}

// sortContacts orders by the Sort field; without one, newest initiation first.
func sortContacts(cs []contactRecord, s *api.Sort) {
	field, desc := "INITIATION_TIMESTAMP", true
	if s != nil {
		field, desc = s.FieldName, s.Order != "ASCENDING"
	}
	key := func(c *contactRecord) (string, time.Time) {
		switch field {
		case "CHANNEL":
			return c.Channel, time.Time{}
		case "INITIATION_METHOD":
			return c.InitiationMethod, time.Time{}
		case "EXPIRY_TIMESTAMP":
			if c.ExpiresAt != nil {
				return "", c.ExpiresAt.Time
			}
			return "", time.Time{}
		}
		if t := timestampOf(c, field); t != nil {
			return "", *t
		}
		return "", time.Time{}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		si, ti := key(&cs[i])
		sj, tj := key(&cs[j])
		less := si < sj || (si == sj && ti.Before(tj))
		if desc {
			less = sj < si || (si == sj && tj.Before(ti))
		}
		return less
	})
}

func summary(c *contactRecord) api.ContactSearchSummary {
	s := api.ContactSearchSummary{
		Id: c.Id, Arn: c.Arn, InitialContactId: c.InitialContactId, PreviousContactId: c.PreviousContactId,
		Channel: c.Channel, InitiationMethod: c.InitiationMethod, Name: c.Name,
		InitiationTimestamp: c.InitiationTimestamp, DisconnectTimestamp: c.DisconnectTimestamp, ScheduledTimestamp: c.ScheduledTimestamp,
		Tags: c.Tags,
	}
	if c.QueueInfo != nil {
		s.QueueInfo = &api.ContactSearchSummaryQueueInfo{Id: c.QueueInfo.Id, EnqueueTimestamp: c.QueueInfo.EnqueueTimestamp}
	}
	if c.AgentInfo != nil {
		s.AgentInfo = &api.ContactSearchSummaryAgentInfo{Id: c.AgentInfo.Id, ConnectedToAgentTimestamp: c.AgentInfo.ConnectedToAgentTimestamp}
	}
	if len(c.SegmentAttributes) > 0 {
		s.SegmentAttributes = map[string]api.ContactSearchSummarySegmentAttributeValue{}
		for k, v := range c.SegmentAttributes {
			s.SegmentAttributes[k] = api.ContactSearchSummarySegmentAttributeValue{ValueString: v.ValueString, ValueMap: v.ValueMap}
		}
	}
	return s
}

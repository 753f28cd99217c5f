package connect

import (
	"context"
	"errors"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/rules"
	"github.com/connectlocal/connectlocal/internal/store"
)

const kindRule = "rule"

// Rule names may change on update only for these event sources (UpdateRule's documentation).
var renamableSources = []string{"OnZendeskTicketCreate", "OnZendeskTicketStatusUpdate", "OnSalesforceCaseCreate"}

// thirdPartySources are triggered through an integration association.
var thirdPartySources = renamableSources

func (s *Service) CreateRule(ctx context.Context, in *api.CreateRuleRequest) (*api.CreateRuleResponse, error) {
	source := in.TriggerEventSource.EventSourceName
	if slices.Contains(thirdPartySources, source) && in.TriggerEventSource.IntegrationAssociationId == "" {
		return nil, api.Errorf(api.InvalidRequest, "TriggerEventSource.IntegrationAssociationId is required for %s", source)
	}
	var out *api.CreateRuleResponse
	token := newClientToken("CreateRule", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if err := s.checkRule(ctx, tx, account, inst, source, in.Function, in.Actions); err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.CreateRuleResponse, error) {
			id := s.newID()
			now := api.NewTime(s.now())
			r := &api.Rule{
				RuleId: id, RuleArn: s.arn(account, inst, kindRule, id), Name: in.Name, TriggerEventSource: in.TriggerEventSource,
				Function: in.Function, Actions: in.Actions, PublishStatus: in.PublishStatus,
				CreatedTime: now, LastUpdatedTime: now, LastUpdatedBy: CallerFrom(ctx).ARN(),
			}
			if err := saveRule(ctx, tx, account, inst, r); err != nil {
				return nil, err
			}
			return &api.CreateRuleResponse{RuleId: id, RuleArn: r.RuleArn}, nil
		})
		return err
	})
	return out, err
}

func saveRule(ctx context.Context, tx store.Tx, account, instance string, r *api.Rule) error {
	err := save(ctx, tx, store.Key{Account: account, Kind: kindRule, Instance: instance, ID: r.RuleId}, r.Name, r)
	if errors.Is(err, store.ErrConflict) {
		return api.Errorf(api.ResourceConflict, "A rule named %s already exists in this instance", r.Name)
	}
	return err
}

// checkRule validates a rule at write time: its Function in the Rules Function language,
// and each action well-formed for its ActionType and allowed for the event source.
func (s *Service) checkRule(ctx context.Context, tx store.Tx, account, instance, source, function string, actions []api.RuleAction) error {
	if _, err := rules.Parse(source, function); err != nil {
		return api.Errorf(api.InvalidRequest, "Function is not valid: %v", err)
	}
	types := make([]string, len(actions))
	for i, a := range actions {
		types[i] = a.ActionType
		if err := checkActionShape(i, a); err != nil {
			return err
		}
		if a.TaskAction != nil {
			if err := mustExist(ctx, tx, account, instance, ref{kindContactFlow, a.TaskAction.ContactFlowId, "Flow"}); err != nil {
				return err
			}
			if err := checkReferences(a.TaskAction.References, taskReferenceTypes, nil); err != nil {
				return err
			}
		}
	}
	if err := rules.ValidateActions(source, types); err != nil {
		return api.Errorf(api.InvalidRequest, "%v", err)
	}
	return nil
}

// checkActionShape requires the definition that matches ActionType and no other.
func checkActionShape(i int, a api.RuleAction) error {
	defs := map[string]bool{
		"CREATE_TASK": a.TaskAction != nil, "ASSIGN_CONTACT_CATEGORY": a.AssignContactCategoryAction != nil,
		"GENERATE_EVENTBRIDGE_EVENT": a.EventBridgeAction != nil, "SEND_NOTIFICATION": a.SendNotificationAction != nil,
		"CREATE_CASE": a.CreateCaseAction != nil, "UPDATE_CASE": a.UpdateCaseAction != nil, "ASSIGN_SLA": a.AssignSlaAction != nil,
		"END_ASSOCIATED_TASKS": a.EndAssociatedTasksAction != nil, "SUBMIT_AUTO_EVALUATION": a.SubmitAutoEvaluationAction != nil,
	}
	for typ, present := range defs {
		if present != (typ == a.ActionType) {
			member := map[string]string{
				"CREATE_TASK": "TaskAction", "ASSIGN_CONTACT_CATEGORY": "AssignContactCategoryAction", "GENERATE_EVENTBRIDGE_EVENT": "EventBridgeAction",
				"SEND_NOTIFICATION": "SendNotificationAction", "CREATE_CASE": "CreateCaseAction", "UPDATE_CASE": "UpdateCaseAction",
				"ASSIGN_SLA": "AssignSlaAction", "END_ASSOCIATED_TASKS": "EndAssociatedTasksAction", "SUBMIT_AUTO_EVALUATION": "SubmitAutoEvaluationAction",
			}[a.ActionType]
			return api.Errorf(api.InvalidRequest, "Actions[%d]: an action of type %s carries exactly its %s", i, a.ActionType, member)
		}
	}
	return nil
}

func (s *Service) DescribeRule(ctx context.Context, in *api.DescribeRuleRequest) (*api.DescribeRuleResponse, error) {
	var out api.DescribeRuleResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		r, _, err := s.rule(ctx, tx, in.InstanceId, in.RuleId)
		out.Rule = r
		return err
	})
	return &out, err
}

func (s *Service) rule(ctx context.Context, tx store.Tx, instanceID, ruleID string) (*api.Rule, string, error) {
	inst, err := s.instance(ctx, tx, instanceID)
	if err != nil {
		return nil, "", err
	}
	var r api.Rule
	err = load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindRule, Instance: inst, ID: idFromARN(ruleID)}, &r, "Rule")
	return &r, inst, err
}

// UpdateRule replaces a rule's function, actions and publish status. The trigger cannot
// change, and the name only for the Zendesk and Salesforce sources.
func (s *Service) UpdateRule(ctx context.Context, in *api.UpdateRuleRequest) (*api.Empty, error) {
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		r, instance, err := s.rule(ctx, tx, in.InstanceId, in.RuleId)
		if err != nil {
			return err
		}
		source := r.TriggerEventSource.EventSourceName
		if in.Name != r.Name && !slices.Contains(renamableSources, source) {
			return api.Errorf(api.InvalidRequest, "The name of a rule for %s cannot change (only rules for %v can be renamed)", source, renamableSources)
		}
		account := CallerFrom(ctx).Account
		if err := s.checkRule(ctx, tx, account, instance, source, in.Function, in.Actions); err != nil {
			return err
		}
		r.Name, r.Function, r.Actions, r.PublishStatus = in.Name, in.Function, in.Actions, in.PublishStatus
		r.LastUpdatedTime, r.LastUpdatedBy = api.NewTime(s.now()), CallerFrom(ctx).ARN()
		return saveRule(ctx, tx, account, instance, r)
	})
}

func (s *Service) DeleteRule(ctx context.Context, in *api.DeleteRuleRequest) (*api.Empty, error) {
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		r, instance, err := s.rule(ctx, tx, in.InstanceId, in.RuleId)
		if err != nil {
			return err
		}
		return tx.Delete(ctx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindRule, Instance: instance, ID: r.RuleId})
	})
}

// ListRules lists the instance's rules, filtered by publish status and event source.
func (s *Service) ListRules(ctx context.Context, in *api.ListRulesRequest) (*api.ListRulesResponse, error) {
	out := &api.ListRulesResponse{RuleSummaryList: []api.RuleSummary{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		all, pos, err := listAll[api.Rule](ctx, s, tx, in.InstanceId, kindRule)
		if err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(r api.Rule) bool {
			return (in.PublishStatus != "" && r.PublishStatus != in.PublishStatus) ||
				(in.EventSourceName != "" && r.TriggerEventSource.EventSourceName != in.EventSourceName)
		})
		page, next, err := paginate(all, func(r api.Rule) string { return r.RuleId }, pos, in.NextToken, maxResults(in.MaxResults, 100))
		out.NextToken = next
		for _, r := range page {
			sum := api.RuleSummary{
				Name: r.Name, RuleId: r.RuleId, RuleArn: r.RuleArn, EventSourceName: r.TriggerEventSource.EventSourceName,
				PublishStatus: r.PublishStatus, CreatedTime: r.CreatedTime, LastUpdatedTime: r.LastUpdatedTime, ActionSummaries: []api.ActionSummary{},
			}
			for _, a := range r.Actions {
				sum.ActionSummaries = append(sum.ActionSummaries, api.ActionSummary{ActionType: a.ActionType})
			}
			out.RuleSummaryList = append(out.RuleSummaryList, sum)
		}
		return err
	})
	return out, err
}

package connect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

func (s *Service) CreateContactFlow(ctx context.Context, in *api.CreateContactFlowRequest) (*api.CreateContactFlowResponse, error) {
	var out *api.CreateContactFlowResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = s.createFlow(ctx, tx, CallerFrom(ctx).Account, inst, in)
		return err
	})
	return out, err
}

func (s *Service) createFlow(ctx context.Context, tx store.Tx, account, instance string, in *api.CreateContactFlowRequest) (*api.CreateContactFlowResponse, error) {
	if problems := flowProblems(in.Content); len(problems) > 0 {
		return nil, api.Errorf(api.InvalidContactFlow, "The flow content is not valid: %s", problems[0].Message).With("problems", problems)
	}
	status := in.Status
	if status == "" {
		status = "PUBLISHED"
	}
	id := s.newID()
	sum := sha256.Sum256([]byte(in.Content))
	flow := &api.ContactFlow{
		Arn: s.arn(account, instance, kindContactFlow, id), Id: id, Name: in.Name, Type: in.Type,
		State: "ACTIVE", Status: status, Description: in.Description, Content: in.Content, Tags: in.Tags,
		FlowContentSha256: hex.EncodeToString(sum[:]), LastModifiedTime: api.NewTime(s.now()), LastModifiedRegion: s.region,
	}
	err := save(ctx, tx, store.Key{Account: account, Kind: kindContactFlow, Instance: instance, ID: id}, in.Name, flow)
	if errors.Is(err, store.ErrConflict) {
		return nil, api.Errorf(api.DuplicateResource, "A flow with the name %s already exists", in.Name)
	}
	if err != nil {
		return nil, err
	}
	return &api.CreateContactFlowResponse{ContactFlowId: id, ContactFlowArn: flow.Arn, FlowContentSha256: flow.FlowContentSha256}, nil
}

// flowProblems checks that content is a flow-language document: a JSON object with a
// Version, a StartAction and a list of Actions, each with an Identifier and a Type, and a
// StartAction that names one of them.
func flowProblems(content string) []api.ProblemDetail {
	var doc struct {
		Version     *string
		StartAction *string
		Actions     []struct {
			Identifier string
			Type       string
		}
	}
	problem := func(msg string) []api.ProblemDetail { return []api.ProblemDetail{{Message: msg}} }
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return problem("Content is not a JSON flow document: " + err.Error())
	}
	switch {
	case doc.Version == nil || *doc.Version == "":
		return problem("Content is missing Version")
	case doc.StartAction == nil || *doc.StartAction == "":
		return problem("Content is missing StartAction")
	case doc.Actions == nil:
		return problem("Content is missing Actions")
	}
	var ids []string
	for i, a := range doc.Actions {
		if a.Identifier == "" || a.Type == "" {
			return problem(fmt.Sprintf("Actions[%d] needs an Identifier and a Type", i))
		}
		ids = append(ids, a.Identifier)
	}
	if !slices.Contains(ids, *doc.StartAction) {
		return problem("StartAction " + *doc.StartAction + " is not an action of the flow")
	}
	return nil
}

// DescribeContactFlow answers the published flow, or with the suffix ":$SAVED" the saved
// one; a flow that was only saved is ContactFlowNotPublishedException without it.
func (s *Service) DescribeContactFlow(ctx context.Context, in *api.DescribeContactFlowRequest) (*api.DescribeContactFlowResponse, error) {
	id, saved := strings.CutSuffix(in.ContactFlowId, ":$SAVED")
	var out api.DescribeContactFlowResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		flow, err := s.flow(ctx, tx, in.InstanceId, id)
		if err != nil {
			return err
		}
		if flow.Status == "SAVED" && !saved {
			return api.Errorf("ContactFlowNotPublishedException", "The flow %s is not published", id)
		}
		out.ContactFlow = flow
		return nil
	})
	return &out, err
}

// flow loads a flow of an instance given by ID or ARN.
func (s *Service) flow(ctx context.Context, tx store.Tx, instanceID, flowID string) (*api.ContactFlow, error) {
	inst, err := s.instance(ctx, tx, instanceID)
	if err != nil {
		return nil, err
	}
	var flow api.ContactFlow
	k := store.Key{Account: CallerFrom(ctx).Account, Kind: kindContactFlow, Instance: inst, ID: idFromARN(flowID)}
	return &flow, load(ctx, tx, k, &flow, "Flow")
}

// idFromARN accepts a resource's ID or its ARN.
func idFromARN(idOrARN string) string {
	if a, ok := parseARN(idOrARN); ok {
		return a.ID
	}
	return idOrARN
}

func (s *Service) ListContactFlows(ctx context.Context, in *api.ListContactFlowsRequest) (*api.ListContactFlowsResponse, error) {
	var out api.ListContactFlowsResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		flows, pos, err := listAll[api.ContactFlow](ctx, s, tx, in.InstanceId, kindContactFlow)
		if err != nil {
			return err
		}
		flows = slices.DeleteFunc(flows, func(f api.ContactFlow) bool {
			return len(in.ContactFlowTypes) > 0 && !slices.Contains(in.ContactFlowTypes, f.Type)
		})
		flows, out.NextToken, err = paginate(flows, func(f api.ContactFlow) string { return f.Id }, pos, in.NextToken, maxResults(in.MaxResults, 100))
		out.ContactFlowSummaryList = make([]api.ContactFlowSummary, 0, len(flows))
		for _, f := range flows {
			out.ContactFlowSummaryList = append(out.ContactFlowSummaryList, api.ContactFlowSummary{
				Id: f.Id, Arn: f.Arn, Name: f.Name, ContactFlowType: f.Type, ContactFlowState: f.State, ContactFlowStatus: f.Status,
			})
		}
		return err
	})
	return &out, err
}

package connect

import (
	"context"
	"fmt"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

func (s *Service) CreateTaskTemplate(ctx context.Context, in *api.CreateTaskTemplateRequest) (*api.CreateTaskTemplateResponse, error) {
	var out *api.CreateTaskTemplateResponse
	token := newClientToken("CreateTaskTemplate", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if problems := templateProblems(in); len(problems) > 0 {
			return api.Errorf(api.PropertyValidation, "%s", problems[0].Message).With("PropertyList", problems)
		}
		for _, id := range []string{in.ContactFlowId, in.SelfAssignFlowId} {
			if id != "" {
				if err := mustExist(ctx, tx, account, inst, ref{kindContactFlow, id, "Flow"}); err != nil {
					return err
				}
			}
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.CreateTaskTemplateResponse, error) {
			id := s.newID()
			status := in.Status
			if status == "" {
				status = "ACTIVE"
			}
			now := api.NewTime(s.now())
			t := &api.GetTaskTemplateResponse{
				Id: id, Arn: s.arn(account, inst, kindTaskTemplate, id), InstanceId: inst, Name: in.Name,
				Description: in.Description, ContactFlowId: idFromARN(in.ContactFlowId), SelfAssignFlowId: idFromARN(in.SelfAssignFlowId),
				Constraints: in.Constraints, Defaults: in.Defaults, Fields: in.Fields, Status: status, CreatedTime: now, LastModifiedTime: now,
			}
			if err := save(ctx, tx, store.Key{Account: account, Kind: kindTaskTemplate, Instance: inst, ID: id}, "", t); err != nil {
				return nil, err
			}
			return &api.CreateTaskTemplateResponse{Id: id, Arn: t.Arn}, nil
		})
		return err
	})
	return out, err
}

// templateProblems checks that field names are unique and that every constraint and
// default names a field of the template, as Connect's PropertyValidationException does.
func templateProblems(in *api.CreateTaskTemplateRequest) []api.PropertyValidationExceptionProperty {
	var problems []api.PropertyValidationExceptionProperty
	fields := map[string]bool{}
	for i, f := range in.Fields {
		if fields[f.Id.Name] {
			problems = append(problems, api.PropertyValidationExceptionProperty{
				PropertyPath: fmt.Sprintf("Fields[%d].Id.Name", i), Reason: "UNIQUE_CONSTRAINT_VIOLATED", Message: fmt.Sprintf("Field %s is defined twice", f.Id.Name),
			})
		}
		fields[f.Id.Name] = true
	}
	known := func(path string, id *api.TaskTemplateFieldIdentifier) {
		if id != nil && !fields[id.Name] {
			problems = append(problems, api.PropertyValidationExceptionProperty{
				PropertyPath: path, Reason: "REFERENCED_RESOURCE_NOT_FOUND", Message: fmt.Sprintf("%s names field %s, which the template does not define", path, id.Name),
			})
		}
	}
	if c := in.Constraints; c != nil {
		for i, f := range c.RequiredFields {
			known(fmt.Sprintf("Constraints.RequiredFields[%d]", i), f.Id)
		}
		for i, f := range c.ReadOnlyFields {
			known(fmt.Sprintf("Constraints.ReadOnlyFields[%d]", i), f.Id)
		}
		for i, f := range c.InvisibleFields {
			known(fmt.Sprintf("Constraints.InvisibleFields[%d]", i), f.Id)
		}
	}
	if d := in.Defaults; d != nil {
		for i, f := range d.DefaultFieldValues {
			known(fmt.Sprintf("Defaults.DefaultFieldValues[%d]", i), f.Id)
		}
	}
	return problems
}

func (s *Service) GetTaskTemplate(ctx context.Context, in *api.GetTaskTemplateRequest) (*api.GetTaskTemplateResponse, error) {
	var out api.GetTaskTemplateResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		return load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindTaskTemplate, Instance: inst, ID: idFromARN(in.TaskTemplateId)}, &out, "Task template")
	})
	return &out, err
}

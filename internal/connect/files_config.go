package connect

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// kindFilesConfig holds an instance's attachment settings for one scope (the record's ID),
// written by UpdateAttachedFilesConfiguration; a scope without one has the defaults.
const kindFilesConfig = "attached-files-configuration"

// attachmentScopes are the scopes of the attachment settings, in the order listed.
var attachmentScopes = []string{"EMAIL", "CHAT", "CASE", "TASK"}

// Defaults from the Amazon Connect feature specifications: the file types supported for
// attachments to emails, cases and chats, and "Maximum file size for an attachment to an
// email, case, or a chat: 20MB" (taken as 20 MiB).
var defaultExtensions = []string{"csv", "doc", "docx", "heic", "jfif", "jpeg", "jpg", "mov", "mp4", "pdf", "png", "ppt", "pptx", "rtf", "txt", "wav", "xls", "xlsx"}

const defaultMaxFileSize = 20 << 20

// filesConfig returns the effective attachment settings of an instance for a scope: the
// stored ones, or the defaults.
func filesConfig(ctx context.Context, tx store.Tx, account, instance, scope string) (*api.AttachedFilesConfiguration, error) {
	var c api.AttachedFilesConfiguration
	err := load(ctx, tx, store.Key{Account: account, Kind: kindFilesConfig, Instance: instance, ID: scope}, &c, "Attached files configuration")
	var apiErr *api.Error
	if errors.As(err, &apiErr) && apiErr.Code == api.ResourceNotFound {
		exts := make([]api.AllowedExtension, len(defaultExtensions))
		for i, e := range defaultExtensions {
			exts[i] = api.AllowedExtension{Extension: e}
		}
		return &api.AttachedFilesConfiguration{
			InstanceId: instance, AttachmentScope: scope, MaximumSizeLimitInBytes: api.Int64(defaultMaxFileSize),
			ExtensionConfiguration: &api.ExtensionConfiguration{AllowedExtensions: exts},
		}, nil
	}
	return &c, err
}

// allows reports whether the settings allow a file extension (without its dot); the
// comparison ignores case.
func allows(c *api.AttachedFilesConfiguration, ext string) bool {
	if c.ExtensionConfiguration == nil {
		return false
	}
	return slices.ContainsFunc(c.ExtensionConfiguration.AllowedExtensions, func(a api.AllowedExtension) bool {
		return strings.EqualFold(a.Extension, ext)
	})
}

func (s *Service) DescribeAttachedFilesConfiguration(ctx context.Context, in *api.DescribeAttachedFilesConfigurationRequest) (*api.DescribeAttachedFilesConfigurationResponse, error) {
	var out api.DescribeAttachedFilesConfigurationResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out.AttachedFilesConfiguration, err = filesConfig(ctx, tx, CallerFrom(ctx).Account, inst, in.AttachmentScope)
		return err
	})
	return &out, err
}

// ListAttachedFilesConfigurations lists the effective settings of every scope, custom or
// default, in the order EMAIL, CHAT, CASE, TASK.
func (s *Service) ListAttachedFilesConfigurations(ctx context.Context, in *api.ListAttachedFilesConfigurationsRequest) (*api.ListAttachedFilesConfigurationsResponse, error) {
	var out api.ListAttachedFilesConfigurationsResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		scopes, next, err := paginate(attachmentScopes, func(s string) string { return s }, nil, in.NextToken, maxResults(in.MaxResults, 100))
		if err != nil {
			return err
		}
		out.NextToken = next
		out.AttachedFilesConfigurations = make([]api.AttachedFilesConfigurationSummary, 0, len(scopes))
		for _, scope := range scopes {
			c, err := filesConfig(ctx, tx, CallerFrom(ctx).Account, inst, scope)
			if err != nil {
				return err
			}
			out.AttachedFilesConfigurations = append(out.AttachedFilesConfigurations, api.AttachedFilesConfigurationSummary{
				AttachmentScope: c.AttachmentScope, InstanceId: c.InstanceId,
				ExtensionConfiguration: c.ExtensionConfiguration, MaximumSizeLimitInBytes: c.MaximumSizeLimitInBytes,
			})
		}
		return nil
	})
	return &out, err
}

// UpdateAttachedFilesConfiguration changes the members given and keeps the others, as the
// API reference says ("Partial updates are supported"). Extensions are kept in lower case,
// without duplicates. It changes what later uploads may be; files already started keep
// what they were accepted with.
func (s *Service) UpdateAttachedFilesConfiguration(ctx context.Context, in *api.UpdateAttachedFilesConfigurationRequest) (*api.UpdateAttachedFilesConfigurationResponse, error) {
	if in.ExtensionConfiguration == nil && in.MaximumSizeLimitInBytes == nil {
		return nil, api.Errorf(api.InvalidParameter, "Give at least one of ExtensionConfiguration and MaximumSizeLimitInBytes")
	}
	var out *api.UpdateAttachedFilesConfigurationResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		c, err := filesConfig(ctx, tx, account, inst, in.AttachmentScope)
		if err != nil {
			return err
		}
		if in.ExtensionConfiguration != nil {
			exts := []api.AllowedExtension{}
			for _, e := range in.ExtensionConfiguration.AllowedExtensions {
				ext := strings.ToLower(e.Extension)
				if !slices.Contains(exts, api.AllowedExtension{Extension: ext}) {
					exts = append(exts, api.AllowedExtension{Extension: ext})
				}
			}
			c.ExtensionConfiguration = &api.ExtensionConfiguration{AllowedExtensions: exts}
		}
		if in.MaximumSizeLimitInBytes != nil {
			c.MaximumSizeLimitInBytes = in.MaximumSizeLimitInBytes
		}
		c.LastModifiedTime = api.NewTime(s.now())
		if err := save(ctx, tx, store.Key{Account: account, Kind: kindFilesConfig, Instance: inst, ID: in.AttachmentScope}, "", c); err != nil {
			return err
		}
		out = &api.UpdateAttachedFilesConfigurationResponse{
			AttachmentScope: c.AttachmentScope, InstanceId: c.InstanceId, ExtensionConfiguration: c.ExtensionConfiguration,
			MaximumSizeLimitInBytes: c.MaximumSizeLimitInBytes, LastModifiedTime: c.LastModifiedTime,
		}
		return nil
	})
	return out, err
}

using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Validation;
using Dispatch.Server.Audit;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Accounts;

/// <summary>Merchant API keys: create (secret shown once, kept encrypted), list, revoke, and look up for a signed request.</summary>
internal sealed partial class MerchantKeys(AccountsDbContext db, IDataProtectionProvider protection, TimeProvider clock, ILogger<MerchantKeys> logger)
{
    /// <summary>Data Protection purpose of stored secrets: no other protector of the app can open them.</summary>
    public const string Purpose = "Dispatch.Accounts.MerchantKeySecret.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>A key as a signed request needs it: its organisation, the secret's bytes (the HMAC key) and whether it is revoked.</summary>
    public sealed record Lookup(string Organisation, string Name, byte[] Secret, bool Revoked);

    public async Task<Outcome<MerchantKeyCreated>> CreateAsync(string organisation, string? name, string actor, AuditActor audit, CancellationToken ct)
    {
        if (TextRules.Check("name", name, 100) is { } badName) return Failure.BadRequest("name", badName);
        var now = clock.GetUtcNow();
        var id = "dk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var record = new MerchantKeyRecord
        {
            Id = id,
            Organisation = organisation,
            Name = string.IsNullOrWhiteSpace(name) ? id : name.Trim(),
            ProtectedSecret = _protector.Protect(secret),
            CreatedBy = actor,
            CreatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MerchantKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await AuditTrail.WriteAsync(db.Database, audit, "merchant-key.create", $"merchant-key:{id}", now, null,
            new { organisation, name = record.Name, createdBy = actor }, ct);
        await tx.CommitAsync(ct);
        LogCreated(logger, id, organisation, actor);
        return new MerchantKeyCreated(id, secret, organisation, record.Name, now);
    }

    /// <summary>Keys of an organisation (all organisations when null), newest first.</summary>
    public Task<List<MerchantKeyView>> ListAsync(string? organisation, CancellationToken ct) =>
        db.MerchantKeys.AsNoTracking().Where(k => organisation == null || k.Organisation == organisation).OrderByDescending(k => k.CreatedAt)
            .Select(k => new MerchantKeyView(k.Id, k.Organisation, k.Name, k.CreatedBy, k.CreatedAt, k.RevokedAt)).ToListAsync(ct);

    /// <summary>Revokes a key of <paramref name="organisation"/> (any organisation's when null: an admin). Revoking twice is fine (and audited once).</summary>
    public async Task<Outcome<MerchantKeyView>> RevokeAsync(string keyId, string? organisation, string actor, AuditActor audit, CancellationToken ct)
    {
        var key = await db.MerchantKeys.SingleOrDefaultAsync(k => k.Id == keyId && (organisation == null || k.Organisation == organisation), ct);
        if (key is null) return Failure.NotFound($"No key '{keyId}'{(organisation is null ? "" : $" belongs to {organisation}")}.");
        if (key.RevokedAt is null)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            key.RevokedAt = clock.GetUtcNow();
            key.RevokedBy = actor;
            await db.SaveChangesAsync(ct);
            await AuditTrail.WriteAsync(db.Database, audit, "merchant-key.revoke", $"merchant-key:{keyId}", key.RevokedAt.Value,
                new { revoked = false }, new { revoked = true, revokedBy = actor }, ct);
            await tx.CommitAsync(ct);
            LogRevoked(logger, keyId, key.Organisation, actor);
        }
        return new MerchantKeyView(key.Id, key.Organisation, key.Name, key.CreatedBy, key.CreatedAt, key.RevokedAt);
    }

    public async Task<Lookup?> FindAsync(string keyId, CancellationToken ct)
    {
        var key = await db.MerchantKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, ct);
        return key is null ? null : new Lookup(key.Organisation, key.Name, Encoding.ASCII.GetBytes(_protector.Unprotect(key.ProtectedSecret)), key.RevokedAt is not null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merchant key {KeyId} of {Organisation} created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string keyId, string organisation, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Merchant key {KeyId} of {Organisation} revoked by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string keyId, string organisation, string actor);
}

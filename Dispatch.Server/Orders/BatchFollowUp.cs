using Npgsql;

namespace Dispatch.Server.Orders;

/// <summary>
/// Rows a batch writes for the orders it moved, in the moves' own statement (<see cref="OrderTransitions.MoveManyCommand"/>):
/// <paramref name="Sql"/> is an <c>insert … select … join moved on moved.id = …</c> (<c>moved(id)</c> holds the orders the
/// statement moved), with named parameters (<c>@name</c>) that must not start with <c>m_</c>.
/// </summary>
internal sealed record BatchFollowUp(string Sql, params NpgsqlParameter[] Parameters);

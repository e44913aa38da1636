namespace Dispatch.Server.Archive;

/// <summary>What one order archival run moved; <see cref="Refused"/> when a batch's counts disagreed or a column had no archive twin.</summary>
internal sealed record ArchiveRun(long Orders, long Rows, bool Refused);

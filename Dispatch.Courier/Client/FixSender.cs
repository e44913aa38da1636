using System.Threading.Channels;
using Dispatch.Core.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Courier.Client;

/// <summary>
/// Background sender behind <see cref="CourierConnection.Report"/>: drains the <see cref="FixBuffer"/> in batches
/// whenever the connection is ready, oldest first, one batch in flight at a time. A batch leaves the buffer only
/// once the server answered for it, so fixes survive a dropped connection.
/// </summary>
internal sealed class FixSender : IAsyncDisposable
{
    private readonly FixBuffer _buffer;
    private readonly int _batchSize;
    private readonly Func<LocationFix[], CancellationToken, Task<FixBatchResult>> _send;
    private readonly Func<bool> _canSend;
    private readonly Action<int, string> _refused;
    private readonly Action<string> _failed;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="buffer">Where <see cref="CourierConnection.Report"/> puts fixes.</param>
    /// <param name="batchSize">Most fixes per call.</param>
    /// <param name="send">Sends one batch (the hub call) and counts the verdict.</param>
    /// <param name="canSend">True when connected and, after a reconnect, online again.</param>
    /// <param name="refused">A whole batch of this many fixes was refused with this message; it is dropped, not retried.</param>
    /// <param name="failed">A send failed (connection lost); the batch stays buffered.</param>
    public FixSender(
        FixBuffer buffer,
        int batchSize,
        Func<LocationFix[], CancellationToken, Task<FixBatchResult>> send,
        Func<bool> canSend,
        Action<int, string> refused,
        Action<string> failed)
    {
        _buffer = buffer;
        _batchSize = Math.Clamp(batchSize, 1, HubPaths.MaxFixesPerBatch);
        _send = send;
        _canSend = canSend;
        _refused = refused;
        _failed = failed;
    }

    public void Start() => _loop ??= Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);

    /// <summary>Asks the loop to look at the buffer (new fixes, or the connection became ready).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Sends everything buffered now; false when not connected or a send failed.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken) =>
        await DrainAsync(cancellationToken) == DrainOutcome.Empty;

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var retryDelay = TimeSpan.Zero;
        try
        {
            while (true)
            {
                if (retryDelay > TimeSpan.Zero) await Task.Delay(retryDelay, cancellationToken);
                else await _wake.Reader.ReadAsync(cancellationToken);
                var outcome = await DrainAsync(cancellationToken);
                // NotConnected waits for the wake-up after reconnect; a failed send while connected retries with backoff.
                retryDelay = outcome == DrainOutcome.Failed
                    ? TimeSpan.FromMilliseconds(Math.Clamp(retryDelay.TotalMilliseconds * 2, 250, 10_000))
                    : TimeSpan.Zero;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<DrainOutcome> DrainAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (!_canSend()) return DrainOutcome.NotConnected;
                var (batch, lastSeq) = _buffer.Peek(_batchSize);
                if (batch.Length == 0) return DrainOutcome.Empty;
                try
                {
                    await _send(batch, cancellationToken);
                }
                catch (HubException ex) when (ex.Message.Contains(HubPaths.RetryAfter, StringComparison.Ordinal))
                {
                    // Refused for now (the connection's fix rate): keep the batch and try again after the backoff.
                    _failed(ex.Message);
                    return DrainOutcome.Failed;
                }
                catch (HubException ex)
                {
                    // The server refused the whole batch: drop it so one bad batch cannot block the stream forever.
                    _refused(batch.Length, ex.Message);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Connection lost mid-call: keep the batch. If the server did process it, the resend is
                    // answered with Replayed/OutOfOrder rejections, which is harmless.
                    _failed(ex.Message);
                    return DrainOutcome.Failed;
                }
                _buffer.RemoveThrough(lastSeq);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private enum DrainOutcome
    {
        Empty,
        NotConnected,
        Failed,
    }
}

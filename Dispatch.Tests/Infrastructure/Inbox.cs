using System.Threading.Channels;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Collects pushed messages so a test can wait for the next one (or one that matches) with a timeout. Never sleeps.</summary>
public sealed class Inbox<T>
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();

    public void Add(T item) => _channel.Writer.TryWrite(item);

    public Task Handler(T item)
    {
        Add(item);
        return Task.CompletedTask;
    }

    public async Task<T> NextAsync(Func<T, bool>? match = null, TimeSpan? timeout = null, string? what = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        // What arrived but did not match is named in the timeout: a message meant for another test is the usual culprit.
        var skipped = 0;
        T? lastSkipped = default;
        try
        {
            while (true)
            {
                var item = await _channel.Reader.ReadAsync(cts.Token);
                if (match is null || match(item)) return item;
                skipped++;
                lastSkipped = item;
            }
        }
        catch (OperationCanceledException)
        {
            var meanwhile = skipped == 0 ? "nothing else arrived" : $"{skipped} other(s) arrived, the last: {lastSkipped}";
            throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds} s waiting for {what ?? typeof(T).Name}; {meanwhile}.");
        }
    }

    /// <summary>Everything received so far, without waiting.</summary>
    public List<T> Drain()
    {
        var items = new List<T>();
        while (_channel.Reader.TryRead(out var item)) items.Add(item);
        return items;
    }
}

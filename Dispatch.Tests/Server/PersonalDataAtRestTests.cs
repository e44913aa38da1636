using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Privacy;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// Customer names, phones and PINs are stored encrypted (Data Protection, key ring in PostgreSQL under the key-encryption
/// key) and phones as keyed hashes: the raw rows hold none of them, yet the API, the board's search, the courier and other
/// nodes see what they saw before, and rows written in plain text by the previous version are encrypted at start.
/// </summary>
public sealed class PersonalDataAtRestTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    /// <summary>The migration before personal data was encrypted: the schema the previous version wrote.</summary>
    private const string PlainTextMigration = "20261128145518_DecisionsLz4";

    private static readonly string[] Items = ["flowers"];

    [Fact]
    public async Task The_raw_row_holds_no_name_phone_or_pin_yet_the_api_and_the_board_show_them()
    {
        server.RequireServices();
        var (name, phone, national) = NewCustomer();
        var order = await CreateAsync(server.Http, name, phone);
        var e164 = "+" + PhoneNumbers.Digits(phone);
        var nationalDigits = PhoneNumbers.Digits(national)[1..]; // the number without its trunk 0 or country code

        await using (var read = server.Db.CreateCommand(
            "select customer_name_enc, customer_phone_enc, pin_enc, customer_name, customer_phone, pin, row_to_json(o)::text from orders o where id = $1"))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = order.Id });
            await using var row = await read.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            foreach (var column in new[] { 0, 1, 2 })
            {
                var stored = row.GetString(column);
                Assert.True(stored.Length > 40, $"column {row.GetName(column)} holds '{stored}', not a ciphertext");
            }
            Assert.DoesNotContain(order.Pin!, row.GetString(2), StringComparison.Ordinal);
            Assert.True(row.IsDBNull(3) && row.IsDBNull(4) && row.IsDBNull(5), "the plain columns of the previous version stay empty");
            var whole = row.GetString(6);
            Assert.DoesNotContain(name.Split(' ')[1], whole, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(nationalDigits, whole, StringComparison.Ordinal);
        }
        // The key ring in the table is itself encrypted with Privacy:KeyEncryptionKey: a dump of the database opens nothing.
        await using (var keys = server.Db.CreateCommand("select xml from data_protection_keys"))
        await using (var key = await keys.ExecuteReaderAsync())
        {
            Assert.True(await key.ReadAsync(), "the Data Protection key ring is in PostgreSQL");
            Assert.Contains("keyEncryptionKeyId", key.GetString(0), StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", key.GetString(0), StringComparison.Ordinal);
        }

        var merchant = await GetAsync(server.Http, order.Id, await server.MerchantTokenAsync("shop-1"));
        Assert.Equal(name, merchant.CustomerName);
        Assert.Equal(PhoneMask.Mask(e164), merchant.CustomerPhoneMasked);
        Assert.Equal(order.Pin, merchant.Pin);
        Assert.Matches("^[0-9]{4}$", merchant.Pin!);
        var dispatcher = await server.GetOrderAsync(order.Id);
        Assert.Equal(name, dispatcher.CustomerName);
        Assert.Null(dispatcher.Pin);

        foreach (var typed in new[] { phone, e164, national, nationalDigits[^6..], nationalDigits[^8..], PhoneNumbers.Digits(phone) })
        {
            var hit = Assert.Single(await SearchAsync(server.Http, await server.TokenAsync("dispatcher", "d-1"), typed));
            Assert.Equal(order.Id, hit.GetProperty("id").GetGuid());
            Assert.Equal(name, hit.GetProperty("customerName").GetString());
            Assert.Equal(PhoneMask.Mask(e164), hit.GetProperty("customerPhoneMasked").GetString());
        }
    }

    [Fact]
    public async Task A_search_by_the_last_digits_keeps_only_the_numbers_ending_with_all_of_them()
    {
        server.RequireServices();
        var suffix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = await CreateAsync(server.Http, "Ana Lima", $"+33 6 71 {suffix}");
        var second = await CreateAsync(server.Http, "Bo Lind", $"+33 7 72 {suffix}");
        var token = await server.TokenAsync("dispatcher", "d-1");

        Assert.Equal([second.Id, first.Id], (await SearchAsync(server.Http, token, suffix)).Select(h => h.GetProperty("id").GetGuid()));
        Assert.Equal(first.Id, Assert.Single(await SearchAsync(server.Http, token, "71" + suffix)).GetProperty("id").GetGuid());
        Assert.Equal(second.Id, Assert.Single(await SearchAsync(server.Http, token, $"07 72 {suffix}")).GetProperty("id").GetGuid());
        Assert.Empty(await SearchAsync(server.Http, token, $"+33 6 72 {suffix}"));
    }

    [Fact]
    public async Task A_second_node_with_the_same_keys_reads_what_the_first_wrote_and_the_other_way_round()
    {
        server.RequireServices();
        await using var second = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server));
        var (name1, phone1, _) = NewCustomer();
        var (name2, phone2, _) = NewCustomer();
        var fromFirst = await CreateAsync(server.Http, name1, phone1);
        var fromSecond = await CreateAsync(second.Http, name2, phone2);
        var dispatcher = await server.TokenAsync("dispatcher", "d-1");

        var readBySecond = await GetAsync(second.Http, fromFirst.Id, dispatcher);
        Assert.Equal(name1, readBySecond.CustomerName);
        Assert.Equal(PhoneMask.Mask(phone1), readBySecond.CustomerPhoneMasked);
        var readByFirst = await GetAsync(server.Http, fromSecond.Id, await server.MerchantTokenAsync("shop-1"));
        Assert.Equal(name2, readByFirst.CustomerName);
        Assert.Equal(fromSecond.Pin, readByFirst.Pin);
        Assert.Equal(fromSecond.Id, Assert.Single(await SearchAsync(server.Http, dispatcher, phone2)).GetProperty("id").GetGuid());
        Assert.Equal(fromFirst.Id, Assert.Single(await SearchAsync(second.Http, dispatcher, phone1)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Orders_the_previous_version_stored_in_plain_text_are_encrypted_at_start_and_still_found()
    {
        server.RequireServices();
        const int Rows = 1_100; // more than two batches
        await using var scratch = await ScratchDatabase.CreateAsync($"{server.DatabaseName}_plain");
        var connection = scratch.ConnectionString;
        await using (var legacy = new NpgsqlConnection(connection))
        {
            await legacy.OpenAsync();
            await MigrateToPlainTextSchemaAsync(connection);
            await using var insert = new NpgsqlCommand(
                """
                insert into orders (id, merchant_id, idempotency_key, request_hash, zone, kind, requires_cold_chain, status, pickup, pickup_address,
                    dropoff, dropoff_address, customer_name, customer_phone, items, pin, promised_at, created_at, tracking_expires_at, receipt_state, version)
                select gen_random_uuid(), 'shop-1', 'old-' || i, '', 'monaco', 0, false, 0, 'SRID=4326;POINT(7.4276 43.7396)'::geography, 'Place du Casino',
                    'SRID=4326;POINT(7.4197 43.7309)'::geography, 'Quai Jean-Charles Rey', 'Old Customer ' || i,
                    case when i = 1 then '12 34 56' else '06 ' || lpad(i::text, 8, '0') end,
                    array['bread'], lpad(i::text, 4, '0'), now() + interval '45 minutes', now() - i * interval '1 second', now() + interval '1 day', 0, 0
                from generate_series(1, $1) i
                """, legacy);
            insert.Parameters.Add(new NpgsqlParameter { Value = Rows });
            Assert.Equal(Rows, await insert.ExecuteNonQueryAsync());
        }

        await using var upgraded = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connection,
            ["Dispatch:RedisPrefix"] = $"{server.RedisPrefix}:plain",
            // Another deployment, with keys of its own: what one encrypts, the other cannot read.
            ["Privacy:KeyEncryptionKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Privacy:PhoneHashKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        }));

        await using (var check = new NpgsqlConnection(connection))
        {
            await check.OpenAsync();
            await using var count = new NpgsqlCommand(
                """
                select count(*) filter (where customer_name is null and customer_phone is null and pin is null
                                          and length(customer_name_enc) > 40 and length(customer_phone_enc) > 40 and length(pin_enc) > 40
                                          and length(customer_phone_hash) = 32 and length(customer_phone_suffix_hash) = 32),
                       count(*) filter (where row_to_json(orders)::text like '%Old Customer%' or row_to_json(orders)::text like '%00000042%')
                from orders
                """, check);
            await using var counts = await count.ExecuteReaderAsync();
            Assert.True(await counts.ReadAsync());
            Assert.Equal(Rows, counts.GetInt64(0));
            Assert.Equal(0, counts.GetInt64(1));
        }
        Assert.Equal(0, await upgraded.Services.GetRequiredService<PersonalDataBackfill>().RunAsync(CancellationToken.None));
        await using (var check = new NpgsqlConnection(connection))
        {
            await check.OpenAsync();
            await using var one = new NpgsqlCommand("select customer_name_enc from orders limit 1", check);
            var ciphertext = (string)(await one.ExecuteScalarAsync())!;
            Assert.ThrowsAny<CryptographicException>(() => server.Services.GetRequiredService<PersonalData>().Unprotect(ciphertext));
        }

        var token = await server.TokenAsync("dispatcher", "d-1");
        var byNational = Assert.Single(await SearchAsync(upgraded.Http, token, "06 00 00 00 42"));
        Assert.Equal("Old Customer 42", byNational.GetProperty("customerName").GetString());
        Assert.Equal(PhoneMask.Mask("+33600000042"), byNational.GetProperty("customerPhoneMasked").GetString());
        Assert.Equal(byNational.GetProperty("id").GetGuid(), Assert.Single(await SearchAsync(upgraded.Http, token, "000042")).GetProperty("id").GetGuid());
        var order = await GetAsync(upgraded.Http, byNational.GetProperty("id").GetGuid(), await server.MerchantTokenAsync("shop-1"));
        Assert.Equal("0042", order.Pin);
        // A number the old rule let in (6 digits) stays as written, still masked and found by its digits.
        var unvalidated = Assert.Single(await SearchAsync(upgraded.Http, token, "123456"));
        Assert.Equal("Old Customer 1", unvalidated.GetProperty("customerName").GetString());
        Assert.Equal(PhoneMask.Mask("123456"), unvalidated.GetProperty("customerPhoneMasked").GetString());
    }

    [Fact]
    public async Task Rotated_keys_keep_every_order_readable_and_findable_once_the_old_ones_are_removed()
    {
        server.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync($"{server.DatabaseName}_rotate");
        string Key() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var (oldKek, oldHash, newKek, newHash) = (Key(), Key(), Key(), Key());
        Dictionary<string, string?> Settings(string kek, string hash, string? retiredKek = null, string? retiredHash = null)
        {
            var settings = ExtraNode.SettingsOf(server, new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = scratch.ConnectionString,
                ["Dispatch:RedisPrefix"] = $"{server.RedisPrefix}:rotate",
                ["Privacy:KeyEncryptionKey"] = kek,
                ["Privacy:PhoneHashKey"] = hash,
            });
            if (retiredKek is not null) settings["Privacy:RetiredKeyEncryptionKeys:0"] = retiredKek;
            if (retiredHash is not null) settings["Privacy:RetiredPhoneHashKeys:0"] = retiredHash;
            return settings;
        }
        var (name, phone, national) = NewCustomer();
        var (lateName, latePhone, _) = NewCustomer();
        var token = await server.TokenAsync("dispatcher", "d-1");
        OrderView order, late;
        await using (var before = await ExtraNode.StartAsync(Settings(oldKek, oldHash)))
        {
            order = await CreateAsync(before.Http, name, phone);

            // A rolling restart: nodes come up with the new keys and the old ones retired (the key ring is re-encrypted, phones
            // re-hashed) while a node still on the old keys keeps writing, with its cached key ring and the old hash key.
            await using var rotating = await ExtraNode.StartAsync(Settings(newKek, newHash, retiredKek: oldKek, retiredHash: oldHash));
            Assert.Equal(name, (await GetAsync(rotating.Http, order.Id, token)).CustomerName);
            Assert.Equal(order.Id, Assert.Single(await SearchAsync(rotating.Http, token, phone)).GetProperty("id").GetGuid());
            late = await CreateAsync(before.Http, lateName, latePhone);
            Assert.Equal(late.Id, Assert.Single(await SearchAsync(rotating.Http, token, latePhone)).GetProperty("id").GetGuid());
        }

        // Every node is on the new keys: one more start re-hashes what the old node wrote meanwhile.
        await using (var rehash = await ExtraNode.StartAsync(Settings(newKek, newHash, retiredKek: oldKek, retiredHash: oldHash)))
        {
            Assert.Equal(0, await rehash.Services.GetRequiredService<PersonalDataBackfill>().RehashAsync(CancellationToken.None));
        }

        // Then the old keys are removed from the configuration.
        await using var after = await ExtraNode.StartAsync(Settings(newKek, newHash));
        var read = await GetAsync(after.Http, order.Id, await server.MerchantTokenAsync("shop-1"));
        Assert.Equal(name, read.CustomerName);
        Assert.Equal(order.Pin, read.Pin);
        Assert.Equal(order.Id, Assert.Single(await SearchAsync(after.Http, token, national)).GetProperty("id").GetGuid());
        Assert.Equal(order.Id, Assert.Single(await SearchAsync(after.Http, token, national[^6..])).GetProperty("id").GetGuid());
        Assert.Equal(lateName, (await GetAsync(after.Http, late.Id, token)).CustomerName);
        Assert.Equal(late.Id, Assert.Single(await SearchAsync(after.Http, token, latePhone)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Outside_development_a_node_without_the_privacy_keys_refuses_to_start_and_names_them()
    {
        server.RequireServices();
        var settings = ExtraNode.SettingsOf(server);
        settings.Remove("Privacy:KeyEncryptionKey");
        settings.Remove("Privacy:PhoneHashKey");

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ExtraNode.StartAsync(settings, "Production"));
        Assert.Contains("Privacy:KeyEncryptionKey is not set", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Privacy:PhoneHashKey is not set", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Applies the app's own migrations up to the one before encryption (the script EF generates lacks a semicolon there).</summary>
    private async Task MigrateToPlainTextSchemaAsync(string connection)
    {
        var options = new DbContextOptionsBuilder<DispatchDbContext>()
            .UseNpgsql(connection, o => o.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention()
            .UsePersonalData(server.Services)
            .Options;
        await using var db = new DispatchDbContext((DbContextOptions<DispatchDbContext>)options);
        await db.GetService<IMigrator>().MigrateAsync(PlainTextMigration);
    }

    private static (string Name, string Phone, string National) NewCustomer()
    {
        var n = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var phone = $"+33 6 {n[..2]} {n[2..4]} {n[4..6]} {n[6..]}";
        return ($"Zoé Quennell{Random.Shared.Next(1000, 9999)}", phone, "06" + n);
    }

    private async Task<OrderView> CreateAsync(HttpClient http, string name, string phone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new
            {
                kind = "errand",
                pickup = new { lat = DispatchServer.CasinoLat, lon = DispatchServer.CasinoLon, address = "Place du Casino" },
                dropoff = new { lat = DispatchServer.FontvieilleLat, lon = DispatchServer.FontvieilleLon, address = "Quai Jean-Charles Rey" },
                customerName = name,
                customerPhone = phone,
                items = Items,
            }, options: DispatchServer.Json),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync("shop-1"));
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!;
    }

    private static async Task<OrderView> GetAsync(HttpClient http, Guid id, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!;
    }

    private static async Task<JsonElement[]> SearchAsync(HttpClient http, string token, string phone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/search?phone={Uri.EscapeDataString(phone)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"search by '{phone}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray()];
    }
}
